package dev.gatehouse.core.model;

/** Discord's channel type numbers for the types the platform serves. */
public final class ChannelType {
    public static final int GUILD_TEXT = 0;
    public static final int DM = 1;
    public static final int GUILD_VOICE = 2;
    public static final int GUILD_CATEGORY = 4;

    private ChannelType() {}

    public static boolean isGuildType(int type) {
        return type == GUILD_TEXT || type == GUILD_VOICE || type == GUILD_CATEGORY;
    }

    public static boolean isText(int type) {
        return type == GUILD_TEXT || type == DM;
    }
}
