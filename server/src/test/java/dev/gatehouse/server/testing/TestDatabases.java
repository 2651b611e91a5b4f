package dev.gatehouse.server.testing;

import dev.gatehouse.store.DatabaseConfig;
import java.util.Locale;
import java.util.UUID;

/**
 * The database a test runs against, chosen by the {@code gatehouse.test.database} system property
 * ({@code h2}, the default, or {@code postgresql}; the build runs the suite once with each).
 * PostgreSQL tests get a fresh schema each, on the local server; when that server is down they
 * fail, they do not skip.
 */
public final class TestDatabases {

    private TestDatabases() {}

    public static String kind() {
        return System.getProperty("gatehouse.test.database", "h2").toLowerCase(Locale.ROOT);
    }

    public static DatabaseConfig fresh() {
        return switch (kind()) {
            case "h2" -> DatabaseConfig.inMemory(freshName());
            case "postgresql", "postgres" -> freshPostgres();
            default -> throw new IllegalStateException("unknown gatehouse.test.database " + kind());
        };
    }

    /** A fresh schema on the local PostgreSQL, whatever the run's database: what processes share. */
    public static DatabaseConfig freshPostgres() {
        return new DatabaseConfig(
                System.getProperty("gatehouse.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test"),
                System.getProperty("gatehouse.test.postgres.user", "postgres"),
                System.getProperty("gatehouse.test.postgres.password", ""),
                freshName(), 8);
    }

    private static String freshName() {
        return "gh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Drops a PostgreSQL test schema with everything in it; nothing to do for H2 (in memory). */
    public static void drop(DatabaseConfig db) {
        if (db.schema() == null) {
            return;
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password());
                java.sql.Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + db.schema() + " CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not drop test schema " + db.schema(), e);
        }
    }
}
