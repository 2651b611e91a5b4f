package dev.gatehouse.core.model;

/**
 * A bot application. As on Discord, its id is also its bot user's id. {@code flags} carries the
 * privileged-intent grants ({@link #GATEWAY_PRESENCE}, {@link #GATEWAY_GUILD_MEMBERS},
 * {@link #GATEWAY_MESSAGE_CONTENT}).
 */
public record Application(long id, String name, String description, long ownerId, int flags, boolean botPublic, long createdAt) {

    public static final int GATEWAY_PRESENCE = 1 << 12;
    public static final int GATEWAY_PRESENCE_LIMITED = 1 << 13;
    public static final int GATEWAY_GUILD_MEMBERS = 1 << 14;
    public static final int GATEWAY_GUILD_MEMBERS_LIMITED = 1 << 15;
    public static final int GATEWAY_MESSAGE_CONTENT = 1 << 18;
    public static final int GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19;

    /** The flags an owner may set; the rest are Discord's own (verification, app commands...). */
    public static final int SETTABLE_FLAGS = GATEWAY_PRESENCE | GATEWAY_PRESENCE_LIMITED | GATEWAY_GUILD_MEMBERS
            | GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT | GATEWAY_MESSAGE_CONTENT_LIMITED;

    public long botUserId() {
        return id;
    }

    public Application withFlags(int newFlags) {
        return new Application(id, name, description, ownerId, newFlags, botPublic, createdAt);
    }
}
