package dev.gatehouse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.store.Store;
import dev.gatehouse.core.store.Tx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JDBC store: HikariCP pool, Flyway migrations at open, JDBI for the SQL. */
public final class JdbcStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private volatile Consumer<List<GatewayEvent>> committed = events -> { };

    private JdbcStore(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Connects, migrates the schema to the newest version and returns the store. */
    public static JdbcStore open(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.effectiveUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("gatehouse-db");
        hikari.setConnectionTimeout(10_000);
        hikari.setExceptionOverrideClassName(BrokenConnections.class.getName());
        if (config.schema() != null && !config.isH2()) {
            hikari.setSchema(config.schema());
        }
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
            if (config.schema() != null && !config.isH2()) {
                flyway.schemas(config.schema()).createSchemas(true);
            }
            var result = flyway.load().migrate();
            log.atInfo().addKeyValue("database", redact(config.url())).addKeyValue("version", result.targetSchemaVersion)
                    .addKeyValue("applied", result.migrationsExecuted).log("database ready");
            return new JdbcStore(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        return jdbi.inTransaction(handle -> work.apply(new JdbcTx(handle, false)));
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        List<GatewayEvent> logged = new ArrayList<>(0);
        T result = jdbi.inTransaction(handle -> {
            JdbcTx tx = new JdbcTx(handle, true);
            T r = work.apply(tx);
            logged.addAll(tx.logPublished(System.currentTimeMillis()));
            return r;
        });
        if (!logged.isEmpty()) {
            committed.accept(logged);
        }
        return result;
    }

    @Override
    public void onCommitted(Consumer<List<GatewayEvent>> listener) {
        committed = listener;
    }

    @Override
    public boolean isHealthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Reports the connection pool ({@code hikaricp_connections_*}) to a Micrometer
     * {@code MeterRegistry}; typed Object so this module needs no Micrometer. Once per store.
     */
    public void reportPoolMetrics(Object meterRegistry) {
        dataSource.setMetricRegistry(meterRegistry);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
