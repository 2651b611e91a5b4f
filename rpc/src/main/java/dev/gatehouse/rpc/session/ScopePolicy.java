package dev.gatehouse.rpc.session;

import dev.gatehouse.rpc.protocol.RpcCommand;
import dev.gatehouse.rpc.protocol.RpcEvent;
import java.util.Set;

/**
 * Which OAuth2 scopes let a program use a command or an event (any one of them suffices). What
 * needs none may be used right after the handshake: authorising, authenticating, and Rich
 * Presence, which Discord's RPC server also allows without a token.
 */
public final class ScopePolicy {

    static final String RPC = "rpc";

    private ScopePolicy() {}

    public static Set<String> required(RpcCommand command) {
        return switch (command) {
            case AUTHORIZE, AUTHENTICATE, SET_ACTIVITY, DISPATCH, SUBSCRIBE, UNSUBSCRIBE -> Set.of();
            case GET_GUILD, GET_GUILDS, GET_CHANNEL, GET_CHANNELS, SELECT_VOICE_CHANNEL, GET_SELECTED_VOICE_CHANNEL,
                    SELECT_TEXT_CHANNEL -> Set.of(RPC);
            case GET_VOICE_SETTINGS -> Set.of(RPC, "rpc.voice.read");
            case SET_VOICE_SETTINGS -> Set.of(RPC, "rpc.voice.write");
        };
    }

    /** What subscribing to the event needs (SUBSCRIBE itself needs nothing more). */
    public static Set<String> required(RpcEvent event) {
        return switch (event) {
            case MESSAGE_CREATE, MESSAGE_UPDATE, MESSAGE_DELETE -> Set.of(RPC, "messages.read");
            case NOTIFICATION_CREATE -> Set.of(RPC, "rpc.notifications.read");
            default -> Set.of(RPC);
        };
    }

    public static boolean allows(Set<String> granted, Set<String> required) {
        if (required.isEmpty()) {
            return true;
        }
        for (String s : required) {
            if (granted.contains(s)) {
                return true;
            }
        }
        return false;
    }
}
