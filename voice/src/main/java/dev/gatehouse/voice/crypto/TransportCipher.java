package dev.gatehouse.voice.crypto;

/**
 * One member's transport encryption in an {@code _rtpsize} mode: the packet is the clear header
 * (additional data), the ciphertext with its 16-byte tag, then the 4 low bytes of the nonce, a
 * counter the sender increments per packet (docs/VOICE.md §3).
 *
 * <p>Not thread-safe: the relay uses each member's cipher on its one event loop.
 */
public interface TransportCipher {

    int TAG = 16;
    int NONCE_SUFFIX = 4;

    EncryptionMode mode();

    /**
     * Authenticates and decrypts {@code packet[0..len)}, whose first {@code clear} bytes are the
     * header; returns the plaintext (extension body and payload), or null when it does not
     * authenticate.
     */
    byte[] open(byte[] packet, int len, int clear);

    /** Encrypts {@code plaintext} behind {@code header[0..clear)} with the next nonce; the whole packet. */
    byte[] seal(byte[] header, int clear, byte[] plaintext);
}
