package dev.gatehouse.protocol.voice;

/**
 * The voice gateway's close codes (docs/VOICE.md §4): the seed's table plus the three Discord added
 * for DAVE and abuse. Server and client read the same table: whether the voice session survives the
 * close (so the client may resume it) and what the client does next.
 */
public enum VoiceCloseCode {
    UNKNOWN_OPCODE(4001, "Unknown opcode", Next.RESUME),
    DECODE_FAILED(4002, "Failed to decode payload", Next.RESUME),
    NOT_AUTHENTICATED(4003, "Not authenticated", Next.REJOIN),
    AUTHENTICATION_FAILED(4004, "Authentication failed", Next.REJOIN),
    ALREADY_AUTHENTICATED(4005, "Already authenticated", Next.RESUME),
    SESSION_NO_LONGER_VALID(4006, "Session no longer valid", Next.REJOIN),
    SESSION_TIMEOUT(4009, "Session timeout", Next.RESUME),
    SERVER_NOT_FOUND(4011, "Server not found", Next.REJOIN),
    UNKNOWN_PROTOCOL(4012, "Unknown protocol", Next.REJOIN),
    DISCONNECTED(4014, "Disconnected", Next.STOP),
    SERVER_CRASHED(4015, "Voice server crashed", Next.RESUME),
    UNKNOWN_ENCRYPTION_MODE(4016, "Unknown encryption mode", Next.REJOIN),
    E2EE_REQUIRED(4017, "E2EE/DAVE protocol required", Next.REJOIN),
    BAD_REQUEST(4020, "Bad request", Next.REJOIN),
    RATE_LIMITED(4021, "Rate limited", Next.REJOIN),
    CALL_TERMINATED(4022, "Call terminated", Next.STOP);

    /** What a client does after the server closed with a code. */
    public enum Next {
        /** Reconnect to the same endpoint and send op 7 Resume: the voice session is kept. */
        RESUME,
        /** The voice session is gone: join again through the main gateway (op 4) or identify anew. */
        REJOIN,
        /** Do not reconnect: the member is no longer in the channel. */
        STOP
    }

    private final int code;
    private final String meaning;
    private final Next next;

    VoiceCloseCode(int code, String meaning, Next next) {
        this.code = code;
        this.meaning = meaning;
        this.next = next;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public Next next() {
        return next;
    }

    /** Whether the server keeps the voice session for a resume after closing with this code. */
    public boolean keepsSession() {
        return next == Next.RESUME;
    }

    /** The code with this number, or null. */
    public static VoiceCloseCode of(int code) {
        for (VoiceCloseCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
