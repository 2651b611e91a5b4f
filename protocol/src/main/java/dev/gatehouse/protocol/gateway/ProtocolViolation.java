package dev.gatehouse.protocol.gateway;


/**
 * A client broke the wire contract; carries the close code and the human-readable reason the
 * connection is closed with. Thrown by payload parsers, caught by the session core, never by
 * anything above it.
 */
public final class ProtocolViolation extends Exception {

    private final CloseCode code;

    public ProtocolViolation(CloseCode code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public CloseCode code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }
}
