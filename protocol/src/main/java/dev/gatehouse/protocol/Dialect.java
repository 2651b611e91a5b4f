package dev.gatehouse.protocol;

/**
 * The two dialects of the wire contract (docs/PROTOCOL.md §1). The gateway picks one from the {@code v}
 * query parameter, the HTTP API from the path prefix; everything not listed as different is shared.
 */
public enum Dialect {
    /** {@code v=1}, {@code /api/v1}: string error codes, acknowledgement backpressure, op 14. */
    FLUXER,
    /** {@code v=9|10}, {@code /api/v9|v10}: numeric error codes, intents. */
    DISCORD;

    /** The dialect of an API or gateway version number, or null when the version is not served. */
    public static Dialect ofVersion(int version) {
        return switch (version) {
            case 1 -> FLUXER;
            case 9, 10 -> DISCORD;
            default -> null;
        };
    }
}
