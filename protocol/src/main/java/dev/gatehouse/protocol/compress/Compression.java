package dev.gatehouse.protocol.compress;

import java.util.Optional;

/**
 * Transport compression a client asks for with the gateway's {@code compress} query parameter
 * (docs/PROTOCOL.md §2). Identify's {@code compress:true} is a different mechanism (one complete zlib
 * stream per payload, see {@link ZlibPayloadCompressor}) and is not listed here.
 */
public enum Compression {
    /** No stream compression: server messages go out as text frames. */
    NONE(null),
    /** One deflate context per connection; every frame ends in {@code 00 00 ff ff}. */
    ZLIB_STREAM("zlib-stream"),
    /** One zstd context per connection; every frame is flushed, none ends the zstd frame. */
    ZSTD_STREAM("zstd-stream");

    private final String queryValue;

    Compression(String queryValue) {
        this.queryValue = queryValue;
    }

    /**
     * The compression named by a {@code compress} query value: absent (null) means {@link #NONE}.
     * Anything else that is not an exact known name, the empty string included, is empty so the
     * gateway can refuse the connection instead of guessing what the client can decode.
     */
    public static Optional<Compression> ofQuery(String value) {
        if (value == null) {
            return Optional.of(NONE);
        }
        for (Compression compression : values()) {
            if (value.equals(compression.queryValue)) {
                return Optional.of(compression);
            }
        }
        return Optional.empty();
    }

    /** The value a client puts in the {@code compress} query parameter; empty for {@link #NONE}. */
    public Optional<String> queryValue() {
        return Optional.ofNullable(queryValue);
    }
}
