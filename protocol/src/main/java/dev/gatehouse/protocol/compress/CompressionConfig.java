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

    /**
     * 4 KiB windows. Measured per context (2,000 contexts, bench/gateway-load.sh for the whole
     * picture): zlib window 2^15 / mem level 8 (what the JDK's deflater always uses) 267 KiB of
     * heap, 2^14/6 103 KiB, 2^13/6 70 KiB, 2^12/5 37 KiB; zstd native memory at window 2^17
     * 608 KiB, 2^15 225 KiB, 2^14 160 KiB, 2^12 95 KiB. A gateway message is a few hundred bytes
     * to a few KiB and most of what repeats (keys, ids of the same guild and channel) repeats
     * within one message or the next, so the small window keeps nearly all of the ratio.
     */
    public static CompressionConfig defaults() {
        return new CompressionConfig(6, 12, 5, 3, 12);
    }
}
