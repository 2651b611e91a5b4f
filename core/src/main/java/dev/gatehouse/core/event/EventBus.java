package dev.gatehouse.core.event;

import java.util.function.Consumer;

/**
 * Carries gateway events from the services that make them to the gateways that fan them out.
 * In-process on one node ({@link LocalEventBus}); a cluster bus carries them between nodes.
 * Publishing happens after the change is committed, in the order of the publishing thread.
 */
public interface EventBus {

    void publish(GatewayEvent event);

    /** Registers a listener; closing the returned handle removes it. */
    AutoCloseable subscribe(Consumer<GatewayEvent> listener);
}
