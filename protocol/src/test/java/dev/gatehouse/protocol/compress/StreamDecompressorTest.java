package dev.gatehouse.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamDecompressorTest {

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void aMessageExactlyAtTheLimitPassesAndOneByteMoreFails(Compression compression) {
        byte[] atLimit = Messages.randomBytes(new Random(6), 10_000);
        byte[] overLimit = Messages.randomBytes(new Random(7), 10_001);
        try (StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT);
                StreamDecompressor decompressor = StreamDecompressor.create(compression, 10_000)) {
            assertThat(decompressor.decompress(compressor.compress(atLimit))).hasValueSatisfying(d -> assertThat(d).isEqualTo(atLimit));
            byte[] frame = compressor.compress(overLimit);
            assertThatThrownBy(() -> decompressor.decompress(frame))
                    .isInstanceOf(DecompressionException.class).hasMessageContaining("limit of 10000 bytes");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void aSmallFrameOfAHugeMessageFailsInsteadOfAllocatingIt(Compression compression) {
        byte[] zeros = new byte[64 << 20];
        try (StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT);
                StreamDecompressor decompressor = StreamDecompressor.create(compression, 1 << 20)) {
            byte[] bomb = compressor.compress(zeros);
            assertThat(bomb.length).isLessThan(1 << 20);
            assertThatThrownBy(() -> decompressor.decompress(bomb))
                    .isInstanceOf(DecompressionException.class).hasMessageContaining("limit");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void aZeroLimitStillPassesEmptyMessages(Compression compression) {
        try (StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT);
                StreamDecompressor decompressor = StreamDecompressor.create(compression, 0)) {
            assertThat(decompressor.decompress(compressor.compress(new byte[0]))).hasValueSatisfying(d -> assertThat(d).isEmpty());
            assertThat(decompressor.decompress(compressor.compress(new byte[0]))).hasValueSatisfying(d -> assertThat(d).isEmpty());
            byte[] frame = compressor.compress(new byte[] {1});
            assertThatThrownBy(() -> decompressor.decompress(frame)).isInstanceOf(DecompressionException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void garbageIsADecompressionErrorAndTheStreamIsThenUnusable(Compression compression) {
        byte[] garbage = Messages.randomBytes(new Random(8), 300);
        garbage[0] = 0x12; // neither a zlib header nor the zstd magic number
        try (StreamDecompressor decompressor = StreamDecompressor.create(compression, 1 << 20)) {
            assertThatThrownBy(() -> decompressor.decompress(garbage))
                    .isInstanceOf(DecompressionException.class).hasMessageContaining("corrupt");
            assertThatIllegalStateException().isThrownBy(() -> decompressor.decompress(new byte[0]))
                    .withMessageContaining("failed earlier");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void aFailedLimitCheckAlsoLeavesTheStreamUnusable(Compression compression) {
        try (StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT);
                StreamDecompressor decompressor = StreamDecompressor.create(compression, 10)) {
            byte[] frame = compressor.compress(new byte[11]);
            assertThatThrownBy(() -> decompressor.decompress(frame)).isInstanceOf(DecompressionException.class);
            byte[] next = compressor.compress(new byte[1]);
            assertThatIllegalStateException().isThrownBy(() -> decompressor.decompress(next));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void closingTwiceIsSafeAndUseAfterCloseFailsClearly(Compression compression) {
        StreamDecompressor decompressor = StreamDecompressor.create(compression, 100);
        assertThat(decompressor.compression()).isEqualTo(compression);
        decompressor.close();
        decompressor.close();
        assertThatIllegalStateException().isThrownBy(() -> decompressor.decompress(new byte[] {0, 0, -1, -1}))
                .withMessageContaining("closed");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 30, -4, -2, -1})
    void zlibHoldsAMessageSplitOverFramesUntilTheSyncFlushMarker(int cutFromStartOrEnd) {
        byte[] message = Messages.dispatch(new Random(9), 1);
        try (StreamCompressor compressor = StreamCompressor.create(Compression.ZLIB_STREAM, CompressionConfig.DEFAULT);
                StreamDecompressor decompressor = StreamDecompressor.create(Compression.ZLIB_STREAM, 1 << 20)) {
            byte[] frame = compressor.compress(message);
            int cut = cutFromStartOrEnd > 0 ? cutFromStartOrEnd : frame.length + cutFromStartOrEnd;
            assertThat(decompressor.decompress(Arrays.copyOfRange(frame, 0, cut))).isEmpty();
            assertThat(decompressor.decompress(Arrays.copyOfRange(frame, cut, frame.length)))
                    .hasValueSatisfying(d -> assertThat(d).isEqualTo(message));
            // and the next message, whole in one frame, is not mistaken for a continuation
            byte[] next = Messages.dispatch(new Random(10), 2);
            assertThat(decompressor.decompress(compressor.compress(next))).hasValueSatisfying(d -> assertThat(d).isEqualTo(next));
        }
    }

    @Test
    void zlibEmptyFrameCompletesNothing() {
        try (StreamCompressor compressor = StreamCompressor.create(Compression.ZLIB_STREAM, CompressionConfig.DEFAULT);
                StreamDecompressor decompressor = StreamDecompressor.create(Compression.ZLIB_STREAM, 1 << 20)) {
            assertThat(decompressor.decompress(compressor.compress(new byte[] {5}))).isPresent();
            assertThat(decompressor.decompress(new byte[0])).isEmpty();
        }
    }

    @Test
    void zlibCountsASplitMessageAgainstTheLimitAsAWhole() {
        byte[] message = Messages.randomBytes(new Random(10), 3000);
        try (StreamCompressor compressor = StreamCompressor.create(Compression.ZLIB_STREAM, CompressionConfig.DEFAULT);
                StreamDecompressor decompressor = StreamDecompressor.create(Compression.ZLIB_STREAM, 2000)) {
            byte[] frame = compressor.compress(message);
            int half = frame.length / 2;
            assertThat(decompressor.decompress(Arrays.copyOfRange(frame, 0, half))).isEmpty();
            assertThatThrownBy(() -> decompressor.decompress(Arrays.copyOfRange(frame, half, frame.length)))
                    .isInstanceOf(DecompressionException.class).hasMessageContaining("limit");
        }
    }

    @Test
    void zlibStreamThatEndsIsRefused() {
        Deflater deflater = new Deflater();
        byte[] ended = new byte[64];
        deflater.setInput(new byte[] {1, 2, 3});
        deflater.finish();
        int length = deflater.deflate(ended);
        deflater.end();
        try (StreamDecompressor decompressor = StreamDecompressor.create(Compression.ZLIB_STREAM, 100)) {
            assertThatThrownBy(() -> decompressor.decompress(Arrays.copyOf(ended, length)))
                    .isInstanceOf(DecompressionException.class).hasMessageContaining("ended");
        }
    }

    @Test
    void zstdToleratesASenderThatEndsItsFrames() {
        byte[] first = "first".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] second = "second".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (StreamDecompressor decompressor = StreamDecompressor.create(Compression.ZSTD_STREAM, 100)) {
            assertThat(decompressor.decompress(Zstd.compress(first))).hasValueSatisfying(d -> assertThat(d).isEqualTo(first));
            assertThat(decompressor.decompress(Zstd.compress(second))).hasValueSatisfying(d -> assertThat(d).isEqualTo(second));
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> StreamDecompressor.create(Compression.ZLIB_STREAM, -1));
        assertThatIllegalArgumentException().isThrownBy(() -> StreamDecompressor.create(Compression.NONE, 100));
    }
}
