package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What happens on a gateway client: the application's dispatches and the lifecycle events the
 * seed's monitoring counts. Called on the client's thread, in order; do not block in it.
 */
public interface GatewayListener {

    /** A dispatch, each at most once and in seq order (READY and RESUMED included). */
    default void onDispatch(String type, JsonNode data, long seq) {}

    /** The connection closed; {@code byServer} false when the client closed it (zombie, op 7, op 9). */
    default void onClosed(int code, String reason, boolean byServer) {}

    /** A resume was sent. */
    default void onResumeAttempt() {}

    /** The session resumed (RESUMED) after {@code downtimeMillis} without a live connection. */
    default void onResumed(long downtimeMillis) {}

    /** A new session started (READY); {@code downtimeMillis} is -1 for the first. */
    default void onIdentified(long downtimeMillis) {}

    /** A heartbeat was acknowledged after {@code roundTripMillis}. */
    default void onHeartbeatAck(long roundTripMillis) {}

    /** A dispatch arrived with a seq already delivered and was dropped. */
    default void onDuplicate(long seq) {}

    /**
     * The session is gone (the server ended it, or it could not be resumed): what the application
     * had queued for it is dropped, and answers it waited for will not come. The next READY starts
     * a new session.
     */
    default void onSessionEnded() {}

    /** The client stopped for good: the close code that stopped it (or 1000 after {@code stop()}). */
    default void onStopped(int code, String reason) {}
}
