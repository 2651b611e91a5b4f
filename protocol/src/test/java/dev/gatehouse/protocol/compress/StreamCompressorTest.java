package dev.gatehouse.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour both stream compressors share, checked through the matching decompressor. */
class StreamCompressorTest {
    private static final int LIMIT = 1 << 20;

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void manyMessagesRoundTripThroughOneContext(Compression compression) {
        List<byte[]> messages = Messages.mixed();
        try (StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT);
                StreamDecompressor decompressor = StreamDecompressor.create(compression, LIMIT)) {
            for (byte[] message : messages) {
                Optional<byte[]> decoded = decompressor.decompress(compressor.compress(message));
                assertThat(decoded).hasValueSatisfying(d -> assertThat(d).isEqualTo(message));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void countersAddUpTheMessagesAndTheFrames(Compression compression) {
        List<byte[]> messages = Messages.mixed();
        List<byte[]> frames = new ArrayList<>();
        try (StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT)) {
            assertThat(compressor.compression()).isEqualTo(compression);
            for (byte[] message : messages) {
                frames.add(compressor.compress(message));
            }
            assertThat(compressor.bytesIn()).isEqualTo(Messages.totalLength(messages));
            assertThat(compressor.bytesOut()).isEqualTo(Messages.totalLength(frames));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void repetitiveDataShrinks(Compression compression) {
        byte[] repetitive = "{\"op\":11,\"d\":null}".repeat(5000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT)) {
            assertThat(compressor.compress(repetitive).length).isLessThan(repetitive.length / 50);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void laterMessagesReuseTheContextOfEarlierOnes(Compression compression) {
        // a message of random text is incompressible alone but costs a few bytes once repeated,
        // which only happens if the context, window included, spans the messages
        byte[] message = Messages.randomBytes(new Random(1), 2000);
        try (StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT)) {
            int first = compressor.compress(message).length;
            int second = compressor.compress(message).length;
            assertThat(first).isGreaterThan(2000);
            assertThat(second).isLessThan(40);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void framesAreIndependentArraysOwnedByTheCaller(Compression compression) {
        try (StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT);
                StreamDecompressor decompressor = StreamDecompressor.create(compression, LIMIT)) {
            byte[] one = compressor.compress(Messages.dispatch(new Random(2), 1));
            byte[] oneCopy = one.clone();
            compressor.compress(Messages.randomBytes(new Random(3), 50_000));
            assertThat(one).isEqualTo(oneCopy);
            assertThat(decompressor.decompress(one)).hasValueSatisfying(d -> assertThat(d).isEqualTo(Messages.dispatch(new Random(2), 1)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void closingTwiceIsSafeAndUseAfterCloseFailsClearly(Compression compression) {
        StreamCompressor compressor = StreamCompressor.create(compression, CompressionConfig.DEFAULT);
        compressor.compress(new byte[] {1, 2, 3});
        compressor.close();
        compressor.close();
        assertThatIllegalStateException().isThrownBy(() -> compressor.compress(new byte[] {1}))
                .withMessageContaining("closed");
        assertThat(compressor.bytesIn()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void aContextClosedUnusedIsFine(Compression compression) {
        StreamCompressor.create(compression, CompressionConfig.DEFAULT).close();
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void smallestAndLargestSettingsWork(Compression compression) {
        CompressionConfig smallest = new CompressionConfig(0, 9, 1, -5, 10, 6);
        CompressionConfig largest = new CompressionConfig(9, 15, 9, 19, 20, 21);
        for (CompressionConfig config : List.of(smallest, largest)) {
            try (StreamCompressor compressor = StreamCompressor.create(compression, config);
                    StreamDecompressor decompressor = StreamDecompressor.create(compression, LIMIT)) {
                for (byte[] message : Messages.mixed()) {
                    assertThat(decompressor.decompress(compressor.compress(message)))
                            .hasValueSatisfying(d -> assertThat(d).isEqualTo(message));
                }
            }
        }
    }

    @Test
    void noneHasNoCompressor() {
        assertThatIllegalArgumentException().isThrownBy(() -> StreamCompressor.create(Compression.NONE, CompressionConfig.DEFAULT));
    }
}
