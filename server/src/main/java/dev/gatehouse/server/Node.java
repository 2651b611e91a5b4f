package dev.gatehouse.server;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.auth.PasswordHasher;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.store.DatabaseConfig;
import dev.gatehouse.store.JdbcStore;
import java.time.Clock;

/**
 * The platform over an opened store, with no port bound: what {@link GatehouseServer} serves and
 * what {@code gatehouse admin} works on. Its bus is in-process; the events of its changes are
 * logged with them, so a serving node reads another process's from the log
 * ({@link dev.gatehouse.core.event.EventLogPoller}).
 */
public final class Node implements AutoCloseable {

    private final JdbcStore store;
    private final LocalEventBus bus;
    private final Platform platform;

    private Node(JdbcStore store, LocalEventBus bus, Platform platform) {
        this.store = store;
        this.bus = bus;
        this.platform = platform;
    }

    /**
     * Opens (and migrates) the database and builds the platform. {@code worker} and {@code process}
     * go into every snowflake this node creates: two processes writing to one database at the same
     * millisecond (a server and an admin command) must differ in one of them.
     */
    public static Node open(DatabaseConfig database, Clock clock, int worker, int process, PlatformLimits limits) {
        return open(database, clock, new Snowflakes(clock, worker, process), limits);
    }

    /** As above, minting ids with {@code ids} (in a cluster: under the node's leased worker id). */
    public static Node open(DatabaseConfig database, Clock clock, Snowflakes ids, PlatformLimits limits) {
        JdbcStore store = JdbcStore.open(database);
        try {
            LocalEventBus bus = new LocalEventBus(store);
            Platform platform = new Platform(new Platform.Context(store, bus, clock, ids, new PasswordHasher(), limits));
            return new Node(store, bus, platform);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public JdbcStore store() {
        return store;
    }

    public LocalEventBus bus() {
        return bus;
    }

    public Platform platform() {
        return platform;
    }

    @Override
    public void close() {
        store.close();
    }
}
