package dev.gatehouse.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.Test;

class CompressionConfigTest {
    private static final CompressionConfig D = CompressionConfig.DEFAULT;

    @Test
    void defaultsAreTheMeasuredChoice() {
        assertThat(D).isEqualTo(new CompressionConfig(6, 13, 6, 1, 15, 13));
    }

    @Test
    void zstdBoundsMatchTheNativeLibrary() {
        assertThat(CompressionConfig.ZSTD_MIN_LEVEL).isEqualTo(Zstd.minCompressionLevel());
        assertThat(CompressionConfig.ZSTD_MAX_LEVEL).isEqualTo(Zstd.maxCompressionLevel());
        assertThat(CompressionConfig.ZSTD_MIN_WINDOW_LOG).isEqualTo(Zstd.windowLogMin());
    }

    @Test
    void boundsAreInclusive() {
        assertThat(new CompressionConfig(0, 9, 1, CompressionConfig.ZSTD_MIN_LEVEL, 10, 6).zstdHashLog()).isEqualTo(6);
        assertThat(new CompressionConfig(9, 15, 9, CompressionConfig.ZSTD_MAX_LEVEL, 27, 28).zstdWindowLog()).isEqualTo(27);
    }

    @Test
    void hashTablesLargerThanTwiceTheWindowAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 13, 6, 1, 15, 17))
                .withMessageContaining("zstdHashLog");
    }

    @Test
    void eachOutOfRangeValueIsRejectedByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(10, 13, 6, 1, 15, 13)).withMessageContaining("zlibLevel");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(-1, 13, 6, 1, 15, 13)).withMessageContaining("zlibLevel");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 8, 6, 1, 15, 13)).withMessageContaining("zlibWindowBits");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 16, 6, 1, 15, 13)).withMessageContaining("zlibWindowBits");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 13, 0, 1, 15, 13)).withMessageContaining("zlibMemLevel");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 13, 10, 1, 15, 13)).withMessageContaining("zlibMemLevel");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 13, 6, 23, 15, 13)).withMessageContaining("zstdLevel");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 13, 6, 1, 9, 13)).withMessageContaining("zstdWindowLog");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 13, 6, 1, 28, 13)).withMessageContaining("zstdWindowLog");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 13, 6, 1, 15, 5)).withMessageContaining("zstdHashLog");
        assertThatIllegalArgumentException().isThrownBy(() -> new CompressionConfig(6, 13, 6, 1, 27, 29)).withMessageContaining("zstdHashLog");
    }
}
