package dev.gatehouse.server.cli;

import dev.gatehouse.store.DatabaseConfig;
import picocli.CommandLine.Option;

/** The database options shared by {@code serve} and {@code admin}: both must open the same one. */
public final class DatabaseOptions {

    @Option(names = "--data-dir", defaultValue = "${env:GATEHOUSE_DATA_DIR:-./data}",
            description = "Directory of the embedded H2 database (default: ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--database-url", defaultValue = "${env:GATEHOUSE_DATABASE_URL}",
            description = "JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/gatehouse (env GATEHOUSE_DATABASE_URL). Default: embedded H2 under --data-dir.")
    String url;

    @Option(names = "--database-user", defaultValue = "${env:GATEHOUSE_DATABASE_USER}", description = "Database user (env GATEHOUSE_DATABASE_USER).")
    String user;

    @Option(names = "--database-password", defaultValue = "${env:GATEHOUSE_DATABASE_PASSWORD}",
            description = "Database password (env GATEHOUSE_DATABASE_PASSWORD).")
    String password;

    @Option(names = "--database-schema", defaultValue = "${env:GATEHOUSE_DATABASE_SCHEMA}",
            description = "PostgreSQL schema to keep the tables in (env GATEHOUSE_DATABASE_SCHEMA). Default: the user's default.")
    String schema;

    @Option(names = "--database-pool", defaultValue = "${env:GATEHOUSE_DATABASE_POOL:-16}", description = "Connection pool size (default: ${DEFAULT-VALUE}).")
    int poolSize;

    public DatabaseConfig toConfig() {
        if (url == null || url.isBlank()) {
            DatabaseConfig embedded = DatabaseConfig.embedded(dataDir);
            return new DatabaseConfig(embedded.url(), embedded.user(), embedded.password(), null, poolSize);
        }
        return new DatabaseConfig(url, user == null ? "" : user, password == null ? "" : password, schema, poolSize);
    }
}
