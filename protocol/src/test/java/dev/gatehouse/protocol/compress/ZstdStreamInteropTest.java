package dev.gatehouse.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** zstd-stream frames as a plain zstd streaming decoder (ZSTD_decompressStream) reads them. */
class ZstdStreamInteropTest {

    @Test
    void aStandardStreamingDecoderDecodesEachMessageFromItsFrameAndTheZstdFrameNeverEnds() {
        List<byte[]> messages = Messages.mixed();
        try (StreamCompressor compressor = StreamCompressor.create(Compression.ZSTD_STREAM, CompressionConfig.DEFAULT);
                ZstdDecompressCtx decoder = new ZstdDecompressCtx()) {
            for (byte[] message : messages) {
                ByteBuffer src = ByteBuffer.wrap(compressor.compress(message));
                ByteBuffer dst = ByteBuffer.allocate(message.length + 1);
                boolean frameEnded = decoder.decompressByteBufferStream(dst, src);
                assertThat(frameEnded).isFalse();
                assertThat(src.hasRemaining()).isFalse();
                assertThat(Arrays.copyOf(dst.array(), dst.position())).isEqualTo(message);
            }
        }
    }

    @Test
    void theFramesConcatenatedAreOneUnterminatedZstdFrame() throws IOException {
        List<byte[]> messages = Messages.mixed();
        List<byte[]> frames = new ArrayList<>();
        try (StreamCompressor compressor = StreamCompressor.create(Compression.ZSTD_STREAM, CompressionConfig.DEFAULT)) {
            for (byte[] message : messages) {
                frames.add(compressor.compress(message));
            }
        }
        byte[] stream = Messages.concat(frames);
        try (ZstdInputStreamNoFinalizer continuous = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(stream))) {
            continuous.setContinuous(true);
            assertThat(continuous.readAllBytes()).isEqualTo(Messages.concat(messages));
        }
        try (ZstdInputStreamNoFinalizer strict = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(stream))) {
            assertThatThrownBy(strict::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("Truncated");
        }
    }

    @Test
    void theFrameDeclaresTheConfiguredWindowSoDecodersNeedNoMore() {
        byte[] message = Messages.dispatch(new java.util.Random(5), 1);
        try (StreamCompressor small = StreamCompressor.create(Compression.ZSTD_STREAM, new CompressionConfig(6, 13, 6, 1, 15, 13));
                StreamCompressor large = StreamCompressor.create(Compression.ZSTD_STREAM, new CompressionConfig(6, 13, 6, 1, 20, 13));
                ZstdDecompressCtx limited = new ZstdDecompressCtx().setLongMax(15);
                ZstdDecompressCtx limitedToo = new ZstdDecompressCtx().setLongMax(15)) {
            ByteBuffer out = ByteBuffer.allocate(message.length);
            limited.decompressByteBufferStream(out, ByteBuffer.wrap(small.compress(message)));
            assertThat(out.position()).isEqualTo(message.length);
            assertThatThrownBy(() -> limitedToo.decompressByteBufferStream(ByteBuffer.allocate(message.length), ByteBuffer.wrap(large.compress(message))))
                    .isInstanceOf(ZstdException.class);
        }
    }
}
