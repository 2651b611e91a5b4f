package dev.gatehouse.server.testing;

import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.server.GatehouseServer;
import dev.gatehouse.server.ServerConfig;
import dev.gatehouse.store.DatabaseConfig;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * A whole server on a free port over a fresh database, for tests over real HTTP. Records every
 * event published on its bus. Close it (try-with-resources or {@code @AfterAll}).
 */
public final class TestServer implements AutoCloseable {

    private final GatehouseServer server;
    private final DatabaseConfig database;
    private final EventRecorder events = new EventRecorder();
    private final ApiClient client;

    private TestServer(GatehouseServer server, DatabaseConfig database) {
        this.server = server;
        this.database = database;
        server.bus().subscribe(events);
        this.client = new ApiClient("http://127.0.0.1:" + server.port());
    }

    /** Rate limits off: most tests are about something else. */
    public static TestServer start() {
        return start(c -> c.withRateLimits(false));
    }

    public static TestServer start(UnaryOperator<ServerConfig> customize) {
        return start(customize, Clock.systemUTC());
    }

    public static TestServer start(UnaryOperator<ServerConfig> customize, Clock clock) {
        DatabaseConfig database = TestDatabases.fresh();
        ServerConfig config = customize.apply(ServerConfig.defaults(database).withHost("127.0.0.1").withPort(0)
                .withLimits(PlatformLimits.defaults()));
        try {
            return new TestServer(GatehouseServer.start(config, clock), database);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public ApiClient api() {
        return client;
    }

    public EventRecorder events() {
        return events;
    }

    public GatehouseServer server() {
        return server;
    }

    /** The database the server runs on, for a second process on the same data. */
    public DatabaseConfig database() {
        return database;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * Stops this server and starts a new one over the same database, as an operator's restart
     * would: nothing in memory survives. This instance must not be used afterwards.
     */
    public TestServer restart(UnaryOperator<ServerConfig> customize) {
        // an in-memory H2 database lives as long as a connection to it: hold one across the restart
        try (java.sql.Connection keep = java.sql.DriverManager.getConnection(database.effectiveUrl(), database.user(),
                database.password())) {
            server.close();
            ServerConfig config = customize.apply(ServerConfig.defaults(database).withHost("127.0.0.1").withPort(0)
                    .withLimits(PlatformLimits.defaults()));
            return new TestServer(GatehouseServer.start(config, Clock.systemUTC()), database);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server, then drops its PostgreSQL schema (work still running would hold locks on it). */
    @Override
    public void close() {
        server.close();
        TestDatabases.drop(database);
    }

    /** Every event the bus carried, in publishing order. */
    public static final class EventRecorder implements java.util.function.Consumer<GatewayEvent> {
        private final java.util.List<GatewayEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void accept(GatewayEvent e) {
            seen.add(e);
        }

        public java.util.List<GatewayEvent> all() {
            return java.util.List.copyOf(seen);
        }

        public java.util.List<GatewayEvent> of(dev.gatehouse.protocol.DispatchType type) {
            return seen.stream().filter(e -> e.type() == type).toList();
        }

        public void clear() {
            seen.clear();
        }
    }
}
