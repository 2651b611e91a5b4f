package dev.gatehouse.rpc.protocol;

/**
 * The events of {@code evt}: READY and ERROR, which the server sends unasked, and those a program
 * subscribes to, with the argument each subscription is keyed by.
 */
public enum RpcEvent {
    READY(Key.NONE, false),
    ERROR(Key.NONE, false),
    GUILD_STATUS(Key.GUILD, true),
    GUILD_CREATE(Key.NONE, true),
    CHANNEL_CREATE(Key.NONE, true),
    VOICE_CHANNEL_SELECT(Key.NONE, true),
    VOICE_STATE_CREATE(Key.CHANNEL, true),
    VOICE_STATE_UPDATE(Key.CHANNEL, true),
    VOICE_STATE_DELETE(Key.CHANNEL, true),
    SPEAKING_START(Key.CHANNEL, true),
    SPEAKING_STOP(Key.CHANNEL, true),
    MESSAGE_CREATE(Key.CHANNEL, true),
    MESSAGE_UPDATE(Key.CHANNEL, true),
    MESSAGE_DELETE(Key.CHANNEL, true),
    NOTIFICATION_CREATE(Key.NONE, true);

    /** The argument a subscription names: {@code guild_id}, {@code channel_id} or none. */
    public enum Key {
        NONE(null),
        GUILD("guild_id"),
        CHANNEL("channel_id");

        private final String field;

        Key(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private final Key key;
    private final boolean subscribable;

    RpcEvent(Key key, boolean subscribable) {
        this.key = key;
        this.subscribable = subscribable;
    }

    public Key key() {
        return key;
    }

    /** The event of that name a program may subscribe to, or null (error 4004). */
    public static RpcEvent subscribable(String name) {
        if (name == null) {
            return null;
        }
        try {
            RpcEvent e = valueOf(name);
            return e.subscribable ? e : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
