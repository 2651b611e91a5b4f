package dev.gatehouse.core.error;

/**
 * The JSON error codes of the HTTP API. The discord dialect sends {@link #numeric}, the fluxer
 * dialect the upper-case {@link #name()}; both come with the HTTP status the error always has.
 */
public enum ErrorCode {
    GENERAL_ERROR(0, 400, "General error"),
    NOT_FOUND(0, 404, "404: Not Found"),
    METHOD_NOT_ALLOWED(0, 405, "405: Method Not Allowed"),
    PAYLOAD_TOO_LARGE(40005, 413, "Request entity too large"),
    RATE_LIMITED(0, 429, "You are being rate limited."),
    INTERNAL_ERROR(0, 500, "500: Internal Server Error"),
    SERVICE_UNAVAILABLE(0, 502, "A component the server needs is unavailable. Wait a bit and retry."),
    UNKNOWN_APPLICATION(10002, 404, "Unknown Application"),
    UNKNOWN_CHANNEL(10003, 404, "Unknown Channel"),
    UNKNOWN_GUILD(10004, 404, "Unknown Guild"),
    UNKNOWN_INVITE(10006, 404, "Unknown Invite"),
    UNKNOWN_MEMBER(10007, 404, "Unknown Member"),
    UNKNOWN_MESSAGE(10008, 404, "Unknown Message"),
    UNKNOWN_OVERWRITE(10009, 404, "Unknown Overwrite"),
    UNKNOWN_ROLE(10011, 404, "Unknown Role"),
    UNKNOWN_TOKEN(10012, 404, "Unknown Token"),
    UNKNOWN_USER(10013, 404, "Unknown User"),
    UNKNOWN_EMOJI(10014, 400, "Unknown Emoji"),
    UNKNOWN_BAN(10026, 404, "Unknown Ban"),
    UNKNOWN_VOICE_STATE(10065, 404, "Unknown Voice State"),
    BOTS_CANNOT_USE_ENDPOINT(20001, 403, "Bots cannot use this endpoint"),
    ONLY_BOTS_CAN_USE_ENDPOINT(20002, 403, "Only bots can use this endpoint"),
    MAX_GUILDS(30001, 400, "Maximum number of guilds reached (100)"),
    MAX_REACTIONS(30010, 400, "Maximum number of reactions reached (20)"),
    MAX_ROLES(30005, 400, "Maximum number of guild roles reached (250)"),
    MAX_CHANNELS(30013, 400, "Maximum number of guild channels reached (500)"),
    UNAUTHORIZED(40001, 401, "401: Unauthorized"),
    USER_BANNED(40007, 403, "The user is banned from this guild"),
    MISSING_ACCESS(50001, 403, "Missing Access"),
    CANNOT_EXECUTE_ON_DM(50003, 403, "Cannot execute action on a DM channel"),
    CANNOT_EDIT_OTHERS_MESSAGE(50005, 403, "Cannot edit a message authored by another user"),
    EMPTY_MESSAGE(50006, 400, "Cannot send an empty message"),
    WRONG_CHANNEL_TYPE(50024, 400, "Cannot execute action on this channel type"),
    MISSING_PERMISSIONS(50013, 403, "Missing Permissions"),
    INVALID_TOKEN(50014, 401, "Invalid authentication token"),
    BULK_DELETE_COUNT(50016, 400, "Provide at least 2 and fewer than 100 messages to delete"),
    BULK_DELETE_TOO_OLD(50034, 400, "You can only bulk delete messages that are under 14 days old"),
    INVALID_FORM_BODY(50035, 400, "Invalid Form Body"),
    // New codes go under the marker of the area that needs them (keeps parallel branches mergeable).
    // area: guilds, channels, roles
    INVALID_ROLE(50028, 400, "Invalid Role"),
    // area: members, bans, invites, DMs, oauth2
    CANNOT_MESSAGE_USER(50007, 403, "Cannot send messages to this user"),
    INVALID_GUILD(50055, 400, "Invalid Guild"),
    TARGET_NOT_CONNECTED_TO_VOICE(40032, 400, "Target user is not connected to voice"),
    // area: messages, reactions, typing
    // area: HTTP semantics, rate limits, gateway info
    // area: operations, admin
    INVALID_API_VERSION(50041, 400, "Invalid API version provided"),
    INVALID_JSON(50109, 400, "The request body contains invalid JSON.");

    private final int numeric;
    private final int httpStatus;
    private final String message;

    ErrorCode(int numeric, int httpStatus, String message) {
        this.numeric = numeric;
        this.httpStatus = httpStatus;
        this.message = message;
    }

    public int numeric() {
        return numeric;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String message() {
        return message;
    }
}
