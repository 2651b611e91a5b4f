package dev.gatehouse.rpc.protocol;

/** The commands a program may send ({@code cmd}); DISPATCH is the server's own, for events. */
public enum RpcCommand {
    DISPATCH,
    AUTHORIZE,
    AUTHENTICATE,
    GET_GUILD,
    GET_GUILDS,
    GET_CHANNEL,
    GET_CHANNELS,
    SUBSCRIBE,
    UNSUBSCRIBE,
    SELECT_VOICE_CHANNEL,
    GET_SELECTED_VOICE_CHANNEL,
    SELECT_TEXT_CHANNEL,
    GET_VOICE_SETTINGS,
    SET_VOICE_SETTINGS,
    SET_ACTIVITY;

    /** The command of that name, or null (error 4002). */
    public static RpcCommand of(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
