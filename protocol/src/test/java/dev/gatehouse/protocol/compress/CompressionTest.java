package dev.gatehouse.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CompressionTest {

    @Test
    void absentParameterMeansNoCompression() {
        assertThat(Compression.ofQuery(null)).contains(Compression.NONE);
    }

    @Test
    void knownNamesSelectTheirStream() {
        assertThat(Compression.ofQuery("zlib-stream")).contains(Compression.ZLIB_STREAM);
        assertThat(Compression.ofQuery("zstd-stream")).contains(Compression.ZSTD_STREAM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "zlib", "zstd", "ZLIB-STREAM", " zlib-stream", "zlib-stream ", "none", "true", "gzip"})
    void anythingElseIsRefused(String value) {
        assertThat(Compression.ofQuery(value)).isEmpty();
    }

    @Test
    void queryValueRoundTrips() {
        for (Compression compression : Compression.values()) {
            compression.queryValue().ifPresent(v -> assertThat(Compression.ofQuery(v)).contains(compression));
        }
        assertThat(Compression.NONE.queryValue()).isEmpty();
        assertThat(Compression.ZSTD_STREAM.queryValue()).contains("zstd-stream");
    }
}
