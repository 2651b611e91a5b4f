package dev.gatehouse.store;

/**
 * Where the database is. {@code schema} (PostgreSQL only, optional) keeps one installation's
 * tables apart from another's in the same database; tests use one schema per test class.
 */
public record DatabaseConfig(String url, String user, String password, String schema, int poolSize) {

    /** The embedded default: an H2 file under {@code dataDir}, nothing to install. */
    public static DatabaseConfig embedded(String dataDir) {
        return new DatabaseConfig("jdbc:h2:file:" + dataDir + "/gatehouse", "sa", "", null, 16);
    }

    /** A private in-memory H2 database, gone when the store closes. */
    public static DatabaseConfig inMemory(String name) {
        return new DatabaseConfig("jdbc:h2:mem:" + name, "sa", "", null, 8);
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /**
     * The JDBC URL with the settings our SQL relies on. H2 runs in PostgreSQL mode with lower-case
     * identifiers so one set of migrations serves both; a file database allows a second process
     * (the admin command) in while the server runs; a memory one lives until the store closes.
     */
    public String effectiveUrl() {
        if (!isH2()) {
            return url;
        }
        StringBuilder u = new StringBuilder(url);
        appendIfMissing(u, "MODE", "PostgreSQL");
        appendIfMissing(u, "DATABASE_TO_LOWER", "TRUE");
        appendIfMissing(u, "DEFAULT_NULL_ORDERING", "HIGH");
        if (url.startsWith("jdbc:h2:file:")) {
            appendIfMissing(u, "AUTO_SERVER", "TRUE");
        } else if (url.startsWith("jdbc:h2:mem:")) {
            appendIfMissing(u, "DB_CLOSE_DELAY", "-1");
        }
        return u.toString();
    }

    private static void appendIfMissing(StringBuilder url, String key, String value) {
        if (!url.toString().toUpperCase(java.util.Locale.ROOT).contains(";" + key + "=")) {
            url.append(';').append(key).append('=').append(value);
        }
    }
}
