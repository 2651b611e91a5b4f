package dev.gatehouse.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Adler32;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

/** Identify {@code compress:true}: one complete zlib stream per payload. */
class ZlibPayloadTest {

    @Test
    void eachPayloadIsACompleteZlibStreamThatAStandardReaderDecodesAlone() throws IOException {
        try (ZlibPayloadCompressor compressor = new ZlibPayloadCompressor(CompressionConfig.DEFAULT)) {
            for (byte[] payload : Messages.mixed()) {
                byte[] compressed = compressor.compress(payload);
                try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(compressed))) {
                    assertThat(in.readAllBytes()).isEqualTo(payload);
                }
                Adler32 adler = new Adler32();
                adler.update(payload);
                long trailer = ((compressed[compressed.length - 4] & 0xffL) << 24) | ((compressed[compressed.length - 3] & 0xffL) << 16)
                        | ((compressed[compressed.length - 2] & 0xffL) << 8) | (compressed[compressed.length - 1] & 0xffL);
                assertThat(trailer).as("adler32 trailer ends the stream").isEqualTo(adler.getValue());
            }
        }
    }

    @Test
    void payloadsRoundTripThroughOneDecompressor() {
        List<byte[]> payloads = Messages.mixed();
        try (ZlibPayloadCompressor compressor = new ZlibPayloadCompressor(CompressionConfig.DEFAULT);
                ZlibPayloadDecompressor decompressor = new ZlibPayloadDecompressor(1 << 20)) {
            for (byte[] payload : payloads) {
                assertThat(decompressor.decompress(compressor.compress(payload))).isEqualTo(payload);
            }
        }
    }

    @Test
    void aPayloadOverTheLimitFailsWithoutPoisoningTheNext() {
        try (ZlibPayloadCompressor compressor = new ZlibPayloadCompressor(CompressionConfig.DEFAULT);
                ZlibPayloadDecompressor decompressor = new ZlibPayloadDecompressor(1 << 20)) {
            byte[] bomb = compressor.compress(new byte[64 << 20]);
            assertThatThrownBy(() -> decompressor.decompress(bomb))
                    .isInstanceOf(DecompressionException.class).hasMessageContaining("limit");
            byte[] ok = Messages.dispatch(new Random(11), 1);
            assertThat(decompressor.decompress(compressor.compress(ok))).isEqualTo(ok);
        }
    }

    @Test
    void truncatedTrailingAndCorruptPayloadsAreErrors() {
        byte[] payload = Messages.dispatch(new Random(12), 1);
        try (ZlibPayloadCompressor compressor = new ZlibPayloadCompressor(CompressionConfig.DEFAULT);
                ZlibPayloadDecompressor decompressor = new ZlibPayloadDecompressor(1 << 20)) {
            byte[] compressed = compressor.compress(payload);
            assertThatThrownBy(() -> decompressor.decompress(Arrays.copyOf(compressed, compressed.length - 1)))
                    .isInstanceOf(DecompressionException.class).hasMessageContaining("truncated");
            assertThatThrownBy(() -> decompressor.decompress(Arrays.copyOf(compressed, compressed.length + 3)))
                    .isInstanceOf(DecompressionException.class).hasMessageContaining("3 bytes follow");
            byte[] corrupt = compressed.clone();
            corrupt[corrupt.length - 1] ^= 1; // adler32 no longer matches
            assertThatThrownBy(() -> decompressor.decompress(corrupt))
                    .isInstanceOf(DecompressionException.class).hasMessageContaining("corrupt");
            assertThat(decompressor.decompress(compressed)).isEqualTo(payload);
        }
    }

    @Test
    void closingTwiceIsSafeAndUseAfterCloseFailsClearly() {
        ZlibPayloadCompressor compressor = new ZlibPayloadCompressor(CompressionConfig.DEFAULT);
        ZlibPayloadDecompressor decompressor = new ZlibPayloadDecompressor(100);
        compressor.close();
        compressor.close();
        decompressor.close();
        decompressor.close();
        assertThatIllegalStateException().isThrownBy(() -> compressor.compress(new byte[1])).withMessageContaining("closed");
        assertThatIllegalStateException().isThrownBy(() -> decompressor.decompress(new byte[1])).withMessageContaining("closed");
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ZlibPayloadDecompressor(-1));
    }
}
