package dev.gatehouse.protocol.gateway;

import dev.gatehouse.protocol.Dialect;

/**
 * The gateway's close codes (docs/PROTOCOL.md §6) as data: what each means in a dialect, whether the
 * server ends the session with it, and what a client should do next. Server and client SDK read the
 * same table. Any code not listed has a defined meaning too ({@link #of}): unlike libraries that
 * reconnect forever on a code they do not know, an unknown 4xxx means "start over with Identify".
 */
public enum CloseCode {
    UNKNOWN_ERROR(4000, "Unknown error", false, ClientAction.RESUME),
    UNKNOWN_OPCODE(4001, "Unknown opcode", false, ClientAction.RESUME),
    DECODE_ERROR(4002, "Decode error", false, ClientAction.RESUME),
    NOT_AUTHENTICATED(4003, "Not authenticated", false, ClientAction.RESUME),
    AUTHENTICATION_FAILED(4004, "Authentication failed", true, ClientAction.STOP),
    ALREADY_AUTHENTICATED(4005, "Already authenticated", false, ClientAction.RESUME),
    INVALID_SEQ(4007, "Invalid seq", true, ClientAction.IDENTIFY),
    RATE_LIMITED(4008, "Rate limited", true, ClientAction.IDENTIFY_AFTER_WAIT),
    SESSION_TIMED_OUT(4009, "Session timed out", false, ClientAction.RESUME),
    INVALID_SHARD(4010, "Invalid shard", true, ClientAction.STOP),
    SHARDING_REQUIRED(4011, "Sharding required", true, ClientAction.STOP),
    INVALID_API_VERSION(4012, "Invalid API version", true, ClientAction.STOP),
    /** Fluxer: acknowledgement backpressure; discord: invalid intent(s). */
    CODE_4013(4013, "Invalid intent(s)", true, ClientAction.STOP),
    DISALLOWED_INTENTS(4014, "Disallowed intent(s)", true, ClientAction.STOP);

    /** What a client does after the server closed with a code. */
    public enum ClientAction {
        /** Reconnect and resume; identify if the resume is refused. */
        RESUME,
        /** Reconnect and identify a new session (the old one is gone). */
        IDENTIFY,
        /** Wait at least 60 s, then identify. */
        IDENTIFY_AFTER_WAIT,
        /** Do not reconnect: the client or its configuration must change first. */
        STOP
    }

    private final int code;
    private final String discordName;
    private final boolean endsSession;
    private final ClientAction discordAction;

    CloseCode(int code, String discordName, boolean endsSession, ClientAction discordAction) {
        this.code = code;
        this.discordName = discordName;
        this.endsSession = endsSession;
        this.discordAction = discordAction;
    }

    public int code() {
        return code;
    }

    /** The code's name in a dialect; used as the close reason when there is nothing more specific. */
    public String meaning(Dialect dialect) {
        if (this == CODE_4013 && dialect == Dialect.FLUXER) {
            return "Acknowledgement backpressure";
        }
        return discordName;
    }

    /** Whether the server ends the session (no resume possible) when it closes with this code. */
    public boolean endsSession() {
        return endsSession;
    }

    public ClientAction clientAction(Dialect dialect) {
        // fluxer's 4013 is the client's fault but curable: fix the client, then identify
        if (this == CODE_4013 && dialect == Dialect.FLUXER) {
            return ClientAction.IDENTIFY;
        }
        return discordAction;
    }

    /** Whether the code exists in the dialect (4014 is discord's only). */
    public boolean existsIn(Dialect dialect) {
        return this != DISALLOWED_INTENTS || dialect == Dialect.DISCORD;
    }

    /** The entry for a code, or null when it is not a gateway code (see {@link #clientActionFor}). */
    public static CloseCode of(int code) {
        for (CloseCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }

    /**
     * What a client does after any close code, including ones no table lists: a 4xxx code the
     * dialect does not define means the session cannot be trusted, so identify anew; transport codes
     * (1001 going away, 1006 dropped, 1011, 1012 restart ...) say nothing about the session, so resume.
     */
    public static ClientAction clientActionFor(Dialect dialect, int code) {
        CloseCode known = of(code);
        if (known != null && known.existsIn(dialect)) {
            return known.clientAction(dialect);
        }
        return code >= 4000 ? ClientAction.IDENTIFY : ClientAction.RESUME;
    }
}
