package dev.gatehouse.protocol.compress;

/**
 * Sizes of the per-connection compression contexts. A gateway node holds one context per
 * compressed connection, tens of thousands of them, so the window and hash sizes, not the speed,
 * decide what compression costs.
 *
 * <p>Measured memory per context (JDK 25, zstd-jni 1.5.7-28, x86-64; N contexts in one JVM, RSS
 * and heap-after-GC deltas divided by N). "Passive" is after one 1 KiB message, "steady" after
 * 512 KiB of synthetic gateway traffic (JSON dispatches, 1% of them 60 KiB GUILD_CREATEs), "worst"
 * after 1 MiB of random bytes; the ratio is output/input bytes on the synthetic traffic, the speed
 * single-core input throughput across all contexts, for comparison only.
 *
 * <pre>
 * zlib-stream                         passive  steady   worst   ratio  speed
 * java.util.zip.Deflater (fixed 15/8)  92 KiB  232 KiB  264 KiB  0.141  65 MB/s   native
 * jzlib windowBits 15, memLevel 8     260 KiB  260 KiB  260 KiB  0.141  46 MB/s   heap
 * jzlib 14 / 6                         97 KiB   97 KiB   97 KiB  0.143  44 MB/s   heap
 * jzlib 13 / 6  (default)              70 KiB   70 KiB   70 KiB  0.146  45 MB/s   heap
 * jzlib 13 / 5                         50 KiB   50 KiB   50 KiB  0.146  44 MB/s   heap
 * jzlib 12 / 5                         38 KiB   38 KiB   38 KiB  0.151  45 MB/s   heap
 *
 * zstd-stream (native)                passive  steady   worst   ratio  speed
 * level 3, zstd's defaults            820 KiB 1376 KiB     -     0.133 146 MB/s
 * level 3, windowLog 16               826 KiB  959 KiB     -     0.136 208 MB/s
 * level 1, windowLog 16                116 KiB  248 KiB     -     0.132 289 MB/s
 * level 3, windowLog 15, hashLog 15   256 KiB  321 KiB     -     0.138 207 MB/s
 * level 1, windowLog 15, hashLog 13    88 KiB  153 KiB  173 KiB  0.134 289 MB/s  (default)
 * level 1, windowLog 14, hashLog 13    87 KiB  118 KiB  128 KiB  0.138 280 MB/s
 * level 1, windowLog 13, hashLog 12    64 KiB   77 KiB     -     0.148 212 MB/s
 * </pre>
 *
 * <p>Why these defaults. zlib: java.util.zip cannot shrink its 32 KiB window and 128 KiB of hash
 * and buffer tables, so deflate runs on jzlib, whose arrays are 2^(windowBits+2) + 2^(memLevel+9)
 * bytes. 13/6 costs 70 KiB of heap, a third of the native default, for 3.5% more output; the heap
 * is allocated at once but returned by the garbage collector even if a close is missed. Any
 * standard inflater reads a stream written with a smaller window. zstd: its hash tables, not its
 * window, dominate at level 3 (768 KiB), so the level-1 strategy with a 32 KiB window and 8 K-entry
 * tables keeps 153 KiB per busy connection, less for the passive majority since native pages are
 * only touched as used, and still compresses better than any zlib setting. The zstd window is
 * also what each client must allocate to decode. A 50,000-connection node therefore budgets about
 * 3.3 GiB for zlib-stream or 7.3 GiB for zstd-stream at these defaults (more with larger windows).
 *
 * @param zlibLevel deflate level, 0 (stored) to 9
 * @param zlibWindowBits deflate window of 2^bits bytes, 9 to 15
 * @param zlibMemLevel deflate hash table and block buffer size, 1 to 9
 * @param zstdLevel zstd level, {@value #ZSTD_MIN_LEVEL} to {@value #ZSTD_MAX_LEVEL}
 * @param zstdWindowLog zstd window of 2^log bytes, {@value #ZSTD_MIN_WINDOW_LOG} to
 *     {@value #ZSTD_MAX_WINDOW_LOG} (above 27 standard decoders refuse the stream unless told)
 * @param zstdHashLog both zstd match-finder tables (hash and chain) get 2^log entries of 4 bytes,
 *     6 to zstdWindowLog + 1; this overrides the level's own choice, which is the bigger cost at
 *     levels above 1
 */
public record CompressionConfig(
        int zlibLevel, int zlibWindowBits, int zlibMemLevel, int zstdLevel, int zstdWindowLog, int zstdHashLog) {

    /** zstd's ZSTD_minCLevel() and ZSTD_maxCLevel(), kept here so a config never loads native code. */
    public static final int ZSTD_MIN_LEVEL = -131072;
    public static final int ZSTD_MAX_LEVEL = 22;
    public static final int ZSTD_MIN_WINDOW_LOG = 10;
    /** ZSTD_WINDOWLOG_LIMIT_DEFAULT: the largest window a decoder accepts without opting in. */
    public static final int ZSTD_MAX_WINDOW_LOG = 27;

    public static final CompressionConfig DEFAULT = new CompressionConfig(6, 13, 6, 1, 15, 13);

    public CompressionConfig {
        requireRange("zlibLevel", zlibLevel, 0, 9);
        requireRange("zlibWindowBits", zlibWindowBits, 9, 15);
        requireRange("zlibMemLevel", zlibMemLevel, 1, 9);
        requireRange("zstdLevel", zstdLevel, ZSTD_MIN_LEVEL, ZSTD_MAX_LEVEL);
        requireRange("zstdWindowLog", zstdWindowLog, ZSTD_MIN_WINDOW_LOG, ZSTD_MAX_WINDOW_LOG);
        // entries beyond the window's positions find nothing more, they only cost memory
        requireRange("zstdHashLog", zstdHashLog, 6, zstdWindowLog + 1);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + value);
        }
    }
}
