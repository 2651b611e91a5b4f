package dev.gatehouse.core.perm;

/** Discord's permission bits. */
public enum Permission {
    CREATE_INSTANT_INVITE(0),
    KICK_MEMBERS(1),
    BAN_MEMBERS(2),
    ADMINISTRATOR(3),
    MANAGE_CHANNELS(4),
    MANAGE_GUILD(5),
    ADD_REACTIONS(6),
    VIEW_AUDIT_LOG(7),
    PRIORITY_SPEAKER(8),
    STREAM(9),
    VIEW_CHANNEL(10),
    SEND_MESSAGES(11),
    SEND_TTS_MESSAGES(12),
    MANAGE_MESSAGES(13),
    EMBED_LINKS(14),
    ATTACH_FILES(15),
    READ_MESSAGE_HISTORY(16),
    MENTION_EVERYONE(17),
    USE_EXTERNAL_EMOJIS(18),
    VIEW_GUILD_INSIGHTS(19),
    CONNECT(20),
    SPEAK(21),
    MUTE_MEMBERS(22),
    DEAFEN_MEMBERS(23),
    MOVE_MEMBERS(24),
    USE_VAD(25),
    CHANGE_NICKNAME(26),
    MANAGE_NICKNAMES(27),
    MANAGE_ROLES(28),
    MANAGE_WEBHOOKS(29),
    MANAGE_GUILD_EXPRESSIONS(30),
    USE_APPLICATION_COMMANDS(31),
    REQUEST_TO_SPEAK(32),
    MANAGE_EVENTS(33),
    MANAGE_THREADS(34),
    CREATE_PUBLIC_THREADS(35),
    CREATE_PRIVATE_THREADS(36),
    USE_EXTERNAL_STICKERS(37),
    SEND_MESSAGES_IN_THREADS(38),
    USE_EMBEDDED_ACTIVITIES(39),
    MODERATE_MEMBERS(40),
    VIEW_CREATOR_MONETIZATION_ANALYTICS(41),
    USE_SOUNDBOARD(42),
    CREATE_GUILD_EXPRESSIONS(43),
    CREATE_EVENTS(44),
    USE_EXTERNAL_SOUNDS(45),
    SEND_VOICE_MESSAGES(46),
    SEND_POLLS(49),
    USE_EXTERNAL_APPS(50);

    public final long bit;

    Permission(int shift) {
        this.bit = 1L << shift;
    }

    /** Every defined bit; bit sets from clients are masked with this. */
    public static final long ALL = all();

    /** What {@code @everyone} gets in a new guild, as on Discord. */
    public static final long DEFAULT_EVERYONE = of(
            CREATE_INSTANT_INVITE, ADD_REACTIONS, STREAM, VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES,
            READ_MESSAGE_HISTORY, MENTION_EVERYONE, USE_EXTERNAL_EMOJIS, CONNECT, SPEAK, USE_VAD, CHANGE_NICKNAME,
            USE_APPLICATION_COMMANDS, REQUEST_TO_SPEAK, CREATE_PUBLIC_THREADS, CREATE_PRIVATE_THREADS,
            USE_EXTERNAL_STICKERS, SEND_MESSAGES_IN_THREADS, USE_EMBEDDED_ACTIVITIES, USE_SOUNDBOARD,
            USE_EXTERNAL_SOUNDS, SEND_VOICE_MESSAGES, SEND_POLLS, USE_EXTERNAL_APPS);

    /** What either participant of a DM may do. */
    public static final long DM = of(
            VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY, ADD_REACTIONS, EMBED_LINKS, ATTACH_FILES,
            USE_EXTERNAL_EMOJIS, MENTION_EVERYONE);

    public static long of(Permission... permissions) {
        long bits = 0;
        for (Permission p : permissions) {
            bits |= p.bit;
        }
        return bits;
    }

    private static long all() {
        long bits = 0;
        for (Permission p : values()) {
            bits |= p.bit;
        }
        return bits;
    }

    public boolean in(long bits) {
        return (bits & bit) == bit;
    }
}
