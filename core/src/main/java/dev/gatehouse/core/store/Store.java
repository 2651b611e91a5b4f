package dev.gatehouse.core.store;

import dev.gatehouse.core.event.GatewayEvent;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Durable state. Every unit of work runs in one transaction: {@link #write} commits when the
 * function returns and rolls back when it throws; {@link #read} may run on a read-only
 * connection. Implementations retry nothing: a service decides what a conflict means.
 */
public interface Store extends AutoCloseable {

    <T> T read(Function<Tx, T> work);

    <T> T write(Function<Tx, T> work);

    /**
     * Hears the events each write transaction logged ({@link EventLog#publish}), numbered, right
     * after its commit and on the writing thread, so still inside the change's section. One
     * listener: the node's bus.
     */
    void onCommitted(Consumer<List<GatewayEvent>> listener);

    /** True when the database answers; for health checks. */
    boolean isHealthy();

    @Override
    void close();
}
