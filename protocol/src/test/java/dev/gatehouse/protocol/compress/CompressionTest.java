package dev.gatehouse.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stream compression round trips, interoperability with standard decoders, and the limits. */
class CompressionTest {

    static List<byte[]> messages() {
        Random random = new Random(7);
        List<byte[]> out = new ArrayList<>();
        out.add(new byte[0]);
        out.add("x".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 50; i++) {
            out.add(("{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"s\":" + i + ",\"d\":{\"content\":\"hello " + i + "\"}}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        byte[] noise = new byte[100 * 1024];
        random.nextBytes(noise);
        out.add(noise);
        out.add("abc".repeat(40_000).getBytes(StandardCharsets.UTF_8));
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void manyMessagesRoundTripThroughOneContext(Compression compression) {
        try (StreamCompressor c = StreamCompressor.create(compression, CompressionConfig.defaults());
                StreamDecompressor d = StreamDecompressor.create(compression, 1 << 20)) {
            long in = 0;
            for (byte[] m : messages()) {
                byte[] frame = c.compress(m);
                in += m.length;
                assertThat(d.feed(frame)).isEqualTo(m);
            }
            assertThat(c.bytesIn()).isEqualTo(in);
            assertThat(c.bytesOut()).isPositive().isLessThan(in);
        }
    }

    @Test
    void everyZlibFrameEndsWithTheSyncFlushSuffix() {
        try (StreamCompressor c = StreamCompressor.create(Compression.ZLIB_STREAM, CompressionConfig.defaults())) {
            for (byte[] m : messages()) {
                byte[] f = c.compress(m);
                assertThat(f.length).isGreaterThanOrEqualTo(4);
                assertThat(new byte[] {f[f.length - 4], f[f.length - 3], f[f.length - 2], f[f.length - 1]})
                        .containsExactly(0, 0, 0xFF, 0xFF);
            }
        }
    }

    /** What discord.js and JDA do: one java.util.zip / zlib inflater for the whole connection. */
    @Test
    void aStandardInflaterReadsTheZlibStream() throws Exception {
        Inflater inflater = new Inflater();
        try (StreamCompressor c = StreamCompressor.create(Compression.ZLIB_STREAM, CompressionConfig.defaults())) {
            for (byte[] m : messages()) {
                inflater.setInput(c.compress(m));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[4096];
                int n;
                while ((n = inflater.inflate(buf)) > 0 || !inflater.needsInput()) {
                    out.write(buf, 0, n);
                }
                assertThat(out.toByteArray()).isEqualTo(m);
            }
        } finally {
            inflater.end();
        }
    }

    @Test
    void aStandardZstdStreamReaderReadsTheZstdStream() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<byte[]> sent = messages();
        try (StreamCompressor c = StreamCompressor.create(Compression.ZSTD_STREAM, CompressionConfig.defaults())) {
            for (byte[] m : sent) {
                wire.writeBytes(c.compress(m));
            }
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        sent.forEach(expected::writeBytes);
        try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(wire.toByteArray()))) {
            in.setContinuous(true); // the frame is never ended, by design
            assertThat(in.readAllBytes()).isEqualTo(expected.toByteArray());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void closeIsIdempotentAndUseAfterCloseFails(Compression compression) {
        StreamCompressor c = StreamCompressor.create(compression, CompressionConfig.defaults());
        c.close();
        c.close();
        assertThatThrownBy(() -> c.compress(new byte[1])).isInstanceOf(IllegalStateException.class);
        StreamDecompressor d = StreamDecompressor.create(compression, 100);
        d.close();
        d.close();
        assertThatThrownBy(() -> d.feed(new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZLIB_STREAM", "ZSTD_STREAM"})
    void aMessageOverTheLimitIsRefusedNotInflated(Compression compression) {
        byte[] bomb = new byte[4 << 20];
        try (StreamCompressor c = StreamCompressor.create(compression, CompressionConfig.defaults());
                StreamDecompressor d = StreamDecompressor.create(compression, 1 << 20)) {
            byte[] frame = c.compress(bomb);
            assertThat(frame.length).isLessThan(64 * 1024);
            assertThatThrownBy(() -> d.feed(frame)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void zlibFramesWithoutTheSuffixWaitForTheRest() {
        try (StreamCompressor c = StreamCompressor.create(Compression.ZLIB_STREAM, CompressionConfig.defaults());
                StreamDecompressor d = StreamDecompressor.create(Compression.ZLIB_STREAM, 1 << 20)) {
            byte[] m = "split across frames".getBytes(StandardCharsets.UTF_8);
            byte[] frame = c.compress(m);
            byte[] head = java.util.Arrays.copyOf(frame, frame.length - 2);
            byte[] tail = java.util.Arrays.copyOfRange(frame, frame.length - 2, frame.length);
            assertThat(d.feed(head)).isNull();
            assertThat(d.feed(tail)).isEqualTo(m);
        }
    }

    @Test
    void corruptStreamsAreErrors() {
        try (StreamDecompressor z = StreamDecompressor.create(Compression.ZLIB_STREAM, 1 << 20);
                StreamDecompressor s = StreamDecompressor.create(Compression.ZSTD_STREAM, 1 << 20)) {
            assertThatThrownBy(() -> z.feed(new byte[] {1, 2, 3, 4, 0, 0, (byte) 0xFF, (byte) 0xFF}))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.feed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void payloadZlibIsACompleteStreamPerPayload() {
        byte[] m = "{\"op\":0,\"d\":{}}".repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[] compressed = PayloadZlib.compress(m);
        assertThat(compressed[0]).isEqualTo((byte) 0x78);
        assertThat(PayloadZlib.decompress(compressed, 1 << 20)).isEqualTo(m);
        assertThatThrownBy(() -> PayloadZlib.decompress(compressed, 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void queryValues() {
        assertThat(Compression.ofQuery(null)).contains(Compression.NONE);
        assertThat(Compression.ofQuery("zlib-stream")).contains(Compression.ZLIB_STREAM);
        assertThat(Compression.ofQuery("zstd-stream")).contains(Compression.ZSTD_STREAM);
        assertThat(Compression.ofQuery("gzip")).isEmpty();
    }
}
