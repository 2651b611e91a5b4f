package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabases;
import dev.gatehouse.store.DatabaseConfig;
import dev.gatehouse.store.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flyway migrations on this run's database (the build runs this on H2 and on PostgreSQL). */
class MigrationsTest {

    /** V1's tables; later migrations may add more, never take these away. */
    private static final Set<String> CORE_TABLES = Set.of("users", "applications", "tokens", "guilds", "roles", "channels",
            "overwrites", "dm_recipients", "members", "member_roles", "bans", "invites", "messages", "reactions",
            "session_starts", "flyway_schema_history");

    @Test
    void aFreshDatabaseGetsEveryMigrationAndReopeningAppliesNothing() throws Exception {
        DatabaseConfig database = TestDatabases.fresh();
        try {
            JdbcStore.open(database).close();
            Flyway flyway = flyway(database);
            MigrationInfo[] all = flyway.info().all();
            assertThat(all).isNotEmpty();
            assertThat(all).allSatisfy(m -> assertThat(m.getState()).as(m.getScript()).isEqualTo(MigrationState.SUCCESS));
            assertThat(flyway.info().pending()).isEmpty();
            assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
            assertThat(flyway.info().applied()).hasSameSizeAs(all);
            int history = historyRows(database);

            try (JdbcStore again = JdbcStore.open(database)) {
                assertThat(again.isHealthy()).isTrue();
            }
            MigrateResult rerun = flyway.migrate();
            assertThat(rerun.migrationsExecuted).isZero();
            assertThat(historyRows(database)).isEqualTo(history);
            assertThat(flyway.info().current().getVersion()).isEqualTo(all[all.length - 1].getVersion());
        } finally {
            drop(database);
        }
    }

    @Test
    void theSchemaHasTheExpectedTables() throws Exception {
        DatabaseConfig database = TestDatabases.fresh();
        try {
            JdbcStore.open(database).close();
            assertThat(tables(database)).containsAll(CORE_TABLES);
        } finally {
            drop(database);
        }
    }

    /** The default deployment: an H2 file under the data directory, migrated once, reopened after a restart. */
    @Test
    void theEmbeddedFileDatabaseMigratesOnceAndSurvivesARestart(@TempDir Path dataDir) throws Exception {
        DatabaseConfig database = DatabaseConfig.embedded(dataDir.toString());
        try (JdbcStore store = JdbcStore.open(database)) {
            store.write(tx -> {
                tx.users().insert(new dev.gatehouse.core.model.User(42, "kept", null, null, null, false, 0, 0), "x");
                return null;
            });
        }
        assertThat(Files.exists(dataDir.resolve("gatehouse.mv.db"))).isTrue();
        int history = historyRows(database);
        try (JdbcStore reopened = JdbcStore.open(database)) {
            assertThat(reopened.read(tx -> tx.users().find(42)).map(u -> u.username())).contains("kept");
        }
        assertThat(historyRows(database)).isEqualTo(history);
        assertThat(flyway(database).info().pending()).isEmpty();
        assertThat(tables(database)).containsAll(CORE_TABLES);
    }

    private static Flyway flyway(DatabaseConfig db) {
        var config = Flyway.configure().dataSource(db.effectiveUrl(), db.user(), db.password()).locations("classpath:db/migration");
        if (db.schema() != null) {
            config.schemas(db.schema());
        }
        return config.load();
    }

    private static Connection connect(DatabaseConfig db) throws SQLException {
        return DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password());
    }

    private static String schemaOf(DatabaseConfig db) {
        return db.schema() != null ? db.schema() : "public";
    }

    private static int historyRows(DatabaseConfig db) throws SQLException {
        try (Connection c = connect(db);
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + schemaOf(db) + ".flyway_schema_history")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Set<String> tables(DatabaseConfig db) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Connection c = connect(db);
                var st = c.prepareStatement("SELECT table_name FROM information_schema.tables WHERE LOWER(table_schema) = ?")) {
            st.setString(1, schemaOf(db).toLowerCase(Locale.ROOT));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private static void drop(DatabaseConfig db) throws SQLException {
        try (Connection c = connect(db)) {
            if (db.schema() != null) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + db.schema() + " CASCADE");
            } else if (db.url().startsWith("jdbc:h2:mem:")) {
                c.createStatement().execute("DROP ALL OBJECTS");
            }
        }
    }
}
