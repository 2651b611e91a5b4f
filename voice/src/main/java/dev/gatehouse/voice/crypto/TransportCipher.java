package dev.gatehouse.voice.crypto;

import java.util.Arrays;

/**
 * One member's transport encryption in an {@code _rtpsize} mode: the packet is the clear header
 * (additional data), the ciphertext with its 16-byte tag, then the 4 low bytes of the nonce, a
 * counter the sender increments per packet (docs/VOICE.md §4).
 *
 * <p>The relay uses the forms that write into buffers it reuses, so its own code allocates no
 * buffer per packet (the JDK's AES-GCM still allocates on every init); the allocating forms are
 * for clients and tests. Not thread-safe: the relay uses each member's cipher on its one thread.
 */
public interface TransportCipher {

    int TAG = 16;
    int NONCE_SUFFIX = 4;

    EncryptionMode mode();

    /**
     * Authenticates and decrypts {@code packet[0..len)}, whose first {@code clear} bytes are the
     * header, into {@code out} (at least {@code len} bytes); the plaintext's length (extension body
     * and payload), or -1 when it does not authenticate.
     */
    int open(byte[] packet, int len, int clear, byte[] out);

    /**
     * Writes the packet for {@code plain[0..plainLength)} behind {@code header[0..clear)}, under the
     * next nonce, to {@code out} at {@code offset}; its length ({@link #sealedLength}).
     */
    int seal(byte[] header, int clear, byte[] plain, int plainLength, byte[] out, int offset);

    static int sealedLength(int clear, int plainLength) {
        return clear + plainLength + TAG + NONCE_SUFFIX;
    }

    /** The plaintext, or null when the packet does not authenticate. */
    default byte[] open(byte[] packet, int len, int clear) {
        byte[] out = new byte[Math.max(len, 0)];
        int n = open(packet, len, clear, out);
        return n < 0 ? null : Arrays.copyOf(out, n);
    }

    /** The whole packet for {@code plaintext}. */
    default byte[] seal(byte[] header, int clear, byte[] plaintext) {
        byte[] out = new byte[sealedLength(clear, plaintext.length)];
        seal(header, clear, plaintext, plaintext.length, out, 0);
        return out;
    }
}
