package dev.gatehouse.rpc.protocol;

/**
 * Why the RPC server closes a connection: the seed's close codes (4000 to 4005), plus RFC 6455's for
 * faults of the transport itself, which the seed does not name (a frame over 64 KiB, a frame of a
 * kind the transport does not carry). On IPC they travel in a CLOSE frame {@code {code, message}},
 * on WebSocket as the close frame's status.
 */
public enum RpcCloseCode {
    NORMAL(1000, "Normal closure"),
    UNSUPPORTED_DATA(1003, "Unsupported frame"),
    MESSAGE_TOO_BIG(1009, "Frame too large"),
    INVALID_CLIENT_ID(4000, "Invalid Client ID"),
    INVALID_ORIGIN(4001, "Invalid Origin"),
    RATE_LIMITED(4002, "Rate Limited"),
    TOKEN_REVOKED(4003, "Token Revoked"),
    INVALID_VERSION(4004, "Invalid Version"),
    INVALID_ENCODING(4005, "Invalid Encoding");

    private final int code;
    private final String message;

    RpcCloseCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }
}
