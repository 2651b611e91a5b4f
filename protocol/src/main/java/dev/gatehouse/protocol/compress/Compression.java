package dev.gatehouse.protocol.compress;

import java.util.Optional;

/** Transport compression of a gateway connection, from the {@code compress} query parameter. */
public enum Compression {
    NONE,
    /** One deflate stream per connection, each message ending in 00 00 FF FF (Z_SYNC_FLUSH). */
    ZLIB_STREAM,
    /** One zstd stream per connection, each message flushed, the frame never ended. */
    ZSTD_STREAM;

    /** The compression a query value names; empty for a value no dialect serves. */
    public static Optional<Compression> ofQuery(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of(NONE);
        }
        return switch (value) {
            case "zlib-stream" -> Optional.of(ZLIB_STREAM);
            case "zstd-stream" -> Optional.of(ZSTD_STREAM);
            default -> Optional.empty();
        };
    }
}
