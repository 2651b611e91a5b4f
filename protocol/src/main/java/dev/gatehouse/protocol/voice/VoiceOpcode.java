package dev.gatehouse.protocol.voice;

/**
 * The voice gateway's opcodes (docs/VOICE.md §2). The seed lists 0-9 and 13; 11 (clients connect)
 * is sent as members arrive, as Discord does. DAVE's opcodes (21-31) are not spoken: the server
 * negotiates DAVE version 0, so no client sends them.
 */
public enum VoiceOpcode {
    IDENTIFY(0, true),
    SELECT_PROTOCOL(1, true),
    READY(2, false),
    HEARTBEAT(3, true),
    SESSION_DESCRIPTION(4, false),
    SPEAKING(5, true),
    HEARTBEAT_ACK(6, false),
    RESUME(7, true),
    HELLO(8, false),
    RESUMED(9, false),
    CLIENTS_CONNECT(11, false),
    CLIENT_DISCONNECT(13, false);

    private static final VoiceOpcode[] BY_CODE = new VoiceOpcode[14];

    static {
        for (VoiceOpcode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;
    private final boolean fromClient;

    VoiceOpcode(int code, boolean fromClient) {
        this.code = code;
        this.fromClient = fromClient;
    }

    public int code() {
        return code;
    }

    /** Whether a client may send it; the others are the server's. */
    public boolean fromClient() {
        return fromClient;
    }

    /** The opcode with this number, or null. */
    public static VoiceOpcode of(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
