package dev.gatehouse.rpc.protocol;

/**
 * The seed's RPC error codes, answered as {@code {cmd, evt: "ERROR", data: {code, message}, nonce}}
 * to the command that failed.
 */
public enum RpcError {
    UNKNOWN_ERROR(1000, "Unknown error"),
    INVALID_PAYLOAD(4000, "Invalid payload"),
    INVALID_COMMAND(4002, "Invalid command"),
    INVALID_GUILD(4003, "Invalid guild"),
    INVALID_EVENT(4004, "Invalid event"),
    INVALID_CHANNEL(4005, "Invalid channel"),
    INVALID_PERMISSIONS(4006, "Invalid permissions"),
    INVALID_CLIENT_ID(4007, "Invalid client ID"),
    INVALID_ORIGIN(4008, "Invalid origin"),
    INVALID_TOKEN(4009, "Invalid token"),
    INVALID_USER(4010, "Invalid user"),
    OAUTH2_ERROR(5000, "OAuth2 error"),
    SELECT_CHANNEL_TIMED_OUT(5001, "Select channel timed out"),
    GET_GUILD_TIMED_OUT(5002, "Get guild timed out"),
    SELECT_VOICE_FORCE_REQUIRED(5003, "Select voice force required"),
    CAPTURE_SHORTCUT_ALREADY_LISTENING(5004, "Capture shortcut already listening");

    private final int code;
    private final String message;

    RpcError(int code, String message) {
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
