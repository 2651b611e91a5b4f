package dev.gatehouse.core.event;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Carries gateway events from the changes that make them to the gateways that fan them out
 * ({@code docs/ARCHITECTURE.md}, "Events").
 *
 * <p>A change's events are logged in its transaction ({@link dev.gatehouse.core.store.EventLog})
 * and come here after the commit: from this process's own commits ({@link #committed}), and from
 * other processes' through the log itself or a cluster bus ({@link #received}). Each stream (a
 * guild, or a user) this node follows is delivered exactly once per version, in version order,
 * whatever brought its events and in whatever order they came; a gap is read from the log.
 *
 * <p>Listeners run inside the event's section of {@link #order()}, on the thread that delivers,
 * so they must hand slow work off and never wait for another key's section.
 */
public interface EventBus {

    /** An event that reports no committed change (presence, typing): delivered now, inside its keys' sections. */
    void publish(GatewayEvent event);

    /** This process's committed events, numbered; called by the store after the commit, inside the change's section. */
    void committed(List<GatewayEvent> events);

    /** A logged event from another process; from any thread, in any order, any number of times. */
    void received(GatewayEvent event);

    /** The log holds {@code stream} up to {@code version}: what this node has not delivered of it is read and delivered. */
    void logReaches(long stream, long version);

    /** Stops following the streams {@code wanted} no longer wants (nobody here needs their events). */
    void forget(LongPredicate wanted);

    /** Registers a listener; closing the returned handle removes it. */
    AutoCloseable subscribe(Consumer<GatewayEvent> listener);

    /** The per-key sections changes and their events go through. */
    EventOrder order();

    /** Which streams this node follows, and how far each has been delivered. */
    StreamCursors streams();
}
