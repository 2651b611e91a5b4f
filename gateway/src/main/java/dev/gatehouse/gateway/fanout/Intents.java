package dev.gatehouse.gateway.fanout;

import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Application;

/**
 * Discord's gateway intents: the bits, which are privileged, and which intent each event needs.
 * Fluxer sessions do not use intents (they filter with {@code ignored_events}).
 */
public final class Intents {

    public static final long GUILDS = 1L;
    public static final long GUILD_MEMBERS = 1L << 1;
    public static final long GUILD_MODERATION = 1L << 2;
    public static final long GUILD_EXPRESSIONS = 1L << 3;
    public static final long GUILD_INTEGRATIONS = 1L << 4;
    public static final long GUILD_WEBHOOKS = 1L << 5;
    public static final long GUILD_INVITES = 1L << 6;
    public static final long GUILD_VOICE_STATES = 1L << 7;
    public static final long GUILD_PRESENCES = 1L << 8;
    public static final long GUILD_MESSAGES = 1L << 9;
    public static final long GUILD_MESSAGE_REACTIONS = 1L << 10;
    public static final long GUILD_MESSAGE_TYPING = 1L << 11;
    public static final long DIRECT_MESSAGES = 1L << 12;
    public static final long DIRECT_MESSAGE_REACTIONS = 1L << 13;
    public static final long DIRECT_MESSAGE_TYPING = 1L << 14;
    public static final long MESSAGE_CONTENT = 1L << 15;
    public static final long GUILD_SCHEDULED_EVENTS = 1L << 16;
    public static final long AUTO_MODERATION_CONFIGURATION = 1L << 20;
    public static final long AUTO_MODERATION_EXECUTION = 1L << 21;
    public static final long GUILD_MESSAGE_POLLS = 1L << 24;
    public static final long DIRECT_MESSAGE_POLLS = 1L << 25;

    /** Every bit Discord defines; an Identify with any other bit closes 4013. */
    public static final long ALL = GUILDS | GUILD_MEMBERS | GUILD_MODERATION | GUILD_EXPRESSIONS | GUILD_INTEGRATIONS
            | GUILD_WEBHOOKS | GUILD_INVITES | GUILD_VOICE_STATES | GUILD_PRESENCES | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS
            | GUILD_MESSAGE_TYPING | DIRECT_MESSAGES | DIRECT_MESSAGE_REACTIONS | DIRECT_MESSAGE_TYPING | MESSAGE_CONTENT
            | GUILD_SCHEDULED_EVENTS | AUTO_MODERATION_CONFIGURATION | AUTO_MODERATION_EXECUTION | GUILD_MESSAGE_POLLS
            | DIRECT_MESSAGE_POLLS;

    /** Intents a bot may only use once its application enables them (4014 otherwise). */
    public static final long PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;

    private Intents() {}

    /**
     * The intent a session needs to receive the event; 0 when every session gets it. Messages,
     * reactions and typing need the guild intent in a guild and the direct one in a DM.
     */
    public static long required(GatewayEvent event) {
        boolean direct = event.guildId() == null;
        return switch (event.type()) {
            case READY, RESUMED, USER_UPDATE, GUILD_MEMBERS_CHUNK, VOICE_SERVER_UPDATE, OAUTH2_TOKEN_REVOKE -> 0;
            case GUILD_CREATE, GUILD_UPDATE, GUILD_DELETE, GUILD_ROLE_CREATE, GUILD_ROLE_UPDATE, GUILD_ROLE_DELETE -> GUILDS;
            // a DM channel is the user's own business: no intent filters it
            case CHANNEL_CREATE, CHANNEL_UPDATE, CHANNEL_DELETE -> direct ? 0 : GUILDS;
            case GUILD_MEMBER_ADD, GUILD_MEMBER_UPDATE, GUILD_MEMBER_REMOVE -> GUILD_MEMBERS;
            case GUILD_BAN_ADD, GUILD_BAN_REMOVE -> GUILD_MODERATION;
            case INVITE_CREATE, INVITE_DELETE -> GUILD_INVITES;
            case VOICE_STATE_UPDATE -> GUILD_VOICE_STATES;
            case PRESENCE_UPDATE -> GUILD_PRESENCES;
            case MESSAGE_CREATE, MESSAGE_UPDATE, MESSAGE_DELETE, MESSAGE_DELETE_BULK -> direct ? DIRECT_MESSAGES : GUILD_MESSAGES;
            case MESSAGE_REACTION_ADD, MESSAGE_REACTION_REMOVE, MESSAGE_REACTION_REMOVE_ALL, MESSAGE_REACTION_REMOVE_EMOJI ->
                    direct ? DIRECT_MESSAGE_REACTIONS : GUILD_MESSAGE_REACTIONS;
            case TYPING_START -> direct ? DIRECT_MESSAGE_TYPING : GUILD_MESSAGE_TYPING;
        };
    }

    /** The privileged intents an application's flags allow (the full or the _LIMITED flag). */
    public static long allowedPrivileged(int applicationFlags) {
        long allowed = 0;
        if ((applicationFlags & (Application.GATEWAY_GUILD_MEMBERS | Application.GATEWAY_GUILD_MEMBERS_LIMITED)) != 0) {
            allowed |= GUILD_MEMBERS;
        }
        if ((applicationFlags & (Application.GATEWAY_PRESENCE | Application.GATEWAY_PRESENCE_LIMITED)) != 0) {
            allowed |= GUILD_PRESENCES;
        }
        if ((applicationFlags & (Application.GATEWAY_MESSAGE_CONTENT | Application.GATEWAY_MESSAGE_CONTENT_LIMITED)) != 0) {
            allowed |= MESSAGE_CONTENT;
        }
        return allowed;
    }
}
