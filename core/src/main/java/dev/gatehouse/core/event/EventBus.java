package dev.gatehouse.core.event;

import java.util.function.Consumer;

/**
 * Carries gateway events from the services that make them to the gateways that fan them out.
 * In-process on one node ({@link LocalEventBus}); a cluster bus carries them between nodes.
 *
 * <p>Order: the events of one key (a guild, or a user for what is addressed to users alone) reach
 * the listeners one at a time, in the order of the changes that made them. A service changes a
 * key's state and publishes its events inside {@code order().writing(keys, ...)}; an event
 * published outside any section (presence, typing) takes its keys' section for the time of its
 * delivery. Listeners run inside the section, on the publishing thread.
 */
public interface EventBus {

    void publish(GatewayEvent event);

    /** Registers a listener; closing the returned handle removes it. */
    AutoCloseable subscribe(Consumer<GatewayEvent> listener);

    /** The per-key sections changes and their events go through. */
    EventOrder order();
}
