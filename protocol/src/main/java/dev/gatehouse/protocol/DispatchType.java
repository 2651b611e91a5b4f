package dev.gatehouse.protocol;

/** Names of the dispatch events ({@code t} of op 0) the platform publishes. */
public enum DispatchType {
    READY,
    RESUMED,
    USER_UPDATE,
    GUILD_CREATE,
    GUILD_UPDATE,
    GUILD_DELETE,
    GUILD_ROLE_CREATE,
    GUILD_ROLE_UPDATE,
    GUILD_ROLE_DELETE,
    GUILD_MEMBER_ADD,
    GUILD_MEMBER_UPDATE,
    GUILD_MEMBER_REMOVE,
    GUILD_MEMBERS_CHUNK,
    GUILD_BAN_ADD,
    GUILD_BAN_REMOVE,
    CHANNEL_CREATE,
    CHANNEL_UPDATE,
    CHANNEL_DELETE,
    INVITE_CREATE,
    INVITE_DELETE,
    MESSAGE_CREATE,
    MESSAGE_UPDATE,
    MESSAGE_DELETE,
    MESSAGE_DELETE_BULK,
    MESSAGE_REACTION_ADD,
    MESSAGE_REACTION_REMOVE,
    MESSAGE_REACTION_REMOVE_ALL,
    MESSAGE_REACTION_REMOVE_EMOJI,
    TYPING_START,
    PRESENCE_UPDATE,
    VOICE_STATE_UPDATE,
    VOICE_SERVER_UPDATE,
    /** To a person's own sessions: an application's access to their account ended. Bots never get it. */
    OAUTH2_TOKEN_REVOKE
}
