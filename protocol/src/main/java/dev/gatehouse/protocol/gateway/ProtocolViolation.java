package dev.gatehouse.protocol.gateway;

/**
 * A frame broke the wire contract; carries the close code and the human-readable reason. Thrown by
 * the payload parsers: the server's session core closes the connection with it, the client SDK
 * treats the connection as unreadable.
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
