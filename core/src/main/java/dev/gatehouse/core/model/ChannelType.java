package dev.gatehouse.core.model;

/** Discord's channel type numbers for the types the platform serves. */
public final class ChannelType {
    public static final int GUILD_TEXT = 0;
    public static final int DM = 1;
    public static final int GUILD_VOICE = 2;
    public static final int GUILD_CATEGORY = 4;
    /** A voice channel whose members listen until a moderator lets them speak (voice states' {@code suppress}). */
    public static final int GUILD_STAGE_VOICE = 13;

    private ChannelType() {}

    public static boolean isGuildType(int type) {
        return type == GUILD_TEXT || type == GUILD_VOICE || type == GUILD_CATEGORY || type == GUILD_STAGE_VOICE;
    }

    /** A channel members join with op 4: voice or stage. */
    public static boolean isVoice(int type) {
        return type == GUILD_VOICE || type == GUILD_STAGE_VOICE;
    }

    public static boolean isText(int type) {
        return type == GUILD_TEXT || type == DM;
    }
}
