package dev.gatehouse.protocol.gateway;

import dev.gatehouse.protocol.Dialect;

/** Gateway opcodes (docs/PROTOCOL.md §3): who sends each, and which a client may send in each dialect. */
public enum Opcode {
    DISPATCH(0),
    HEARTBEAT(1),
    IDENTIFY(2),
    PRESENCE_UPDATE(3),
    VOICE_STATE_UPDATE(4),
    RESUME(6),
    RECONNECT(7),
    REQUEST_GUILD_MEMBERS(8),
    INVALID_SESSION(9),
    HELLO(10),
    HEARTBEAT_ACK(11),
    /** Fluxer: a request failed, the connection carries on. */
    GATEWAY_ERROR(12),
    /** Fluxer: op 14 lazy member-list request. */
    LAZY_REQUEST(14);

    private static final Opcode[] BY_CODE = new Opcode[15];

    static {
        for (Opcode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The opcode with this number, or null when there is none. */
    public static Opcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether a client of the dialect may send the opcode at all (4001 Unknown opcode when not). */
    public boolean acceptedFromClient(Dialect dialect) {
        return switch (this) {
            case HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE_UPDATE, RESUME, REQUEST_GUILD_MEMBERS -> true;
            case LAZY_REQUEST -> dialect == Dialect.FLUXER;
            default -> false;
        };
    }

    /** Whether the opcode needs an identified or resumed session (4003 Not authenticated before). */
    public boolean needsSession() {
        return this == PRESENCE_UPDATE || this == VOICE_STATE_UPDATE || this == REQUEST_GUILD_MEMBERS || this == LAZY_REQUEST;
    }
}
