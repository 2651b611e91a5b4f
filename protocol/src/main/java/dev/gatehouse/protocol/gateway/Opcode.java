package dev.gatehouse.protocol.gateway;

import dev.gatehouse.protocol.Dialect;

/** Gateway opcodes (docs/PROTOCOL.md §3) and which of them a client may send in each dialect. */
public final class Opcode {

    public static final int DISPATCH = 0;
    public static final int HEARTBEAT = 1;
    public static final int IDENTIFY = 2;
    public static final int PRESENCE_UPDATE = 3;
    public static final int VOICE_STATE_UPDATE = 4;
    public static final int RESUME = 6;
    public static final int RECONNECT = 7;
    public static final int REQUEST_GUILD_MEMBERS = 8;
    public static final int INVALID_SESSION = 9;
    public static final int HELLO = 10;
    public static final int HEARTBEAT_ACK = 11;
    public static final int GATEWAY_ERROR = 12;
    public static final int LAZY_REQUEST = 14;

    private Opcode() {}

    /** Whether a client of the dialect may send the opcode at all (4001 Unknown opcode when not). */
    public static boolean acceptedFromClient(Dialect dialect, int op) {
        return switch (op) {
            case HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE_UPDATE, RESUME, REQUEST_GUILD_MEMBERS -> true;
            case LAZY_REQUEST -> dialect == Dialect.FLUXER;
            default -> false;
        };
    }

    /** Whether the opcode needs an identified or resumed session (4003 Not authenticated before). */
    public static boolean needsSession(int op) {
        return op == PRESENCE_UPDATE || op == VOICE_STATE_UPDATE || op == REQUEST_GUILD_MEMBERS || op == LAZY_REQUEST;
    }
}
