package dev.gatehouse.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** zlib-stream frames as standard clients (one java.util.zip.Inflater per connection) read them. */
class ZlibStreamInteropTest {

    @Test
    void everyFrameEndsWithTheSyncFlushMarker() {
        try (StreamCompressor compressor = StreamCompressor.create(Compression.ZLIB_STREAM, CompressionConfig.DEFAULT)) {
            for (byte[] message : Messages.mixed()) {
                byte[] frame = compressor.compress(message);
                assertThat(frame).hasSizeGreaterThanOrEqualTo(4);
                assertThat(java.util.Arrays.copyOfRange(frame, frame.length - 4, frame.length))
                        .containsExactly(0x00, 0x00, 0xff, 0xff);
            }
        }
    }

    @Test
    void aStandardInflaterDecodesEachMessageAsSoonAsItsFrameArrives() throws DataFormatException {
        assertStandardInflaterReads(CompressionConfig.DEFAULT, Messages.mixed());
    }

    @ParameterizedTest
    @CsvSource({"9,1", "9,9", "12,5", "15,8", "15,9"})
    void anyWindowIsReadByAnInflaterExpectingTheLargest(int windowBits, int memLevel) throws DataFormatException {
        assertStandardInflaterReads(new CompressionConfig(6, windowBits, memLevel, 1, 15, 13), Messages.mixed());
    }

    @ParameterizedTest
    @CsvSource({"9", "13", "15"})
    void theFirstFrameStartsWithAZlibHeaderNamingTheWindow(int windowBits) {
        try (StreamCompressor compressor = StreamCompressor.create(Compression.ZLIB_STREAM, new CompressionConfig(6, windowBits, 6, 1, 15, 13))) {
            byte[] first = compressor.compress(Messages.dispatch(new java.util.Random(4), 1));
            int cmf = first[0] & 0xff;
            int flg = first[1] & 0xff;
            assertThat(cmf & 0x0f).as("method deflate").isEqualTo(8);
            assertThat(cmf >>> 4).as("window bits - 8").isEqualTo(windowBits - 8);
            assertThat((cmf << 8 | flg) % 31).as("header check").isZero();
        }
    }

    @Test
    void anEmptyMessageAfterAFlushIsAnEmptyStoredBlock() {
        try (StreamCompressor compressor = StreamCompressor.create(Compression.ZLIB_STREAM, CompressionConfig.DEFAULT)) {
            compressor.compress(new byte[] {1});
            assertThat(compressor.compress(new byte[0])).containsExactly(0x00, 0x00, 0x00, 0xff, 0xff);
            assertThat(compressor.compress(new byte[0])).containsExactly(0x00, 0x00, 0x00, 0xff, 0xff);
        }
    }

    private static void assertStandardInflaterReads(CompressionConfig config, List<byte[]> messages) throws DataFormatException {
        Inflater inflater = new Inflater();
        byte[] buffer = new byte[8192];
        try (StreamCompressor compressor = StreamCompressor.create(Compression.ZLIB_STREAM, config)) {
            for (byte[] message : messages) {
                inflater.setInput(compressor.compress(message));
                ByteArrayOutputStream decoded = new ByteArrayOutputStream();
                while (!inflater.needsInput()) {
                    int n = inflater.inflate(buffer);
                    decoded.write(buffer, 0, n);
                }
                assertThat(inflater.finished()).isFalse();
                assertThat(decoded.toByteArray()).isEqualTo(message);
            }
        } finally {
            inflater.end();
        }
    }
}
