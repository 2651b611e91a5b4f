package dev.gatehouse.protocol.compress;

/**
 * Sizes of the per-connection compression contexts. Every connection that asks for compression
 * holds one context for its lifetime, so these numbers multiply by the connection count; smaller
 * windows cost a little ratio and save most of the memory. Any standard inflater and zstd
 * decoder reads streams made with smaller windows.
 *
 * @param zlibLevel deflate level 1..9
 * @param zlibWindowBits deflate window 2^9..2^15 bytes
 * @param zlibMemLevel deflate hash memory 1..9
 * @param zstdLevel zstd level
 * @param zstdWindowLog zstd window 2^10.. bytes (also bounds its hash and chain tables)
 */
public record CompressionConfig(int zlibLevel, int zlibWindowBits, int zlibMemLevel, int zstdLevel, int zstdWindowLog) {

    public CompressionConfig {
        if (zlibWindowBits < 9 || zlibWindowBits > 15 || zlibMemLevel < 1 || zlibMemLevel > 9 || zlibLevel < 1 || zlibLevel > 9) {
            throw new IllegalArgumentException("zlib: level 1..9, window bits 9..15, mem level 1..9");
        }
        if (zstdWindowLog < 10 || zstdWindowLog > 27) {
            throw new IllegalArgumentException("zstd window log 10..27");
        }
    }

    /** 16 KiB windows: gateway messages are small, and a window holds the last several of them. */
    public static CompressionConfig defaults() {
        return new CompressionConfig(6, 14, 6, 3, 14);
    }
}
