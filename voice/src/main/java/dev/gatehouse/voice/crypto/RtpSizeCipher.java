package dev.gatehouse.voice.crypto;

/**
 * What both {@code _rtpsize} modes share: the packet layout and the nonce, whose first 4 bytes are
 * a big-endian counter and whose other bytes are zero. A subclass supplies the AEAD.
 */
abstract class RtpSizeCipher implements TransportCipher {

    /** The nonce of the next packet sealed, and the nonce of the packet being opened: zeros after 4 bytes. */
    private final byte[] sealNonce;
    private final byte[] openNonce;
    private int counter;

    RtpSizeCipher(int nonceBytes, byte[] key) {
        if (key.length != EncryptionMode.KEY_BYTES) {
            throw new IllegalArgumentException("key must be 32 bytes, not " + key.length);
        }
        this.sealNonce = new byte[nonceBytes];
        this.openNonce = new byte[nonceBytes];
    }

    @Override
    public final int open(byte[] packet, int len, int clear, byte[] out) {
        int sealed = len - clear - NONCE_SUFFIX;
        if (clear < 0 || sealed < TAG) {
            return -1;
        }
        System.arraycopy(packet, len - NONCE_SUFFIX, openNonce, 0, NONCE_SUFFIX);
        return decrypt(openNonce, packet, clear, packet, clear, sealed, out);
    }

    @Override
    public final int seal(byte[] header, int clear, byte[] plain, int plainLength, byte[] out, int offset) {
        int c = counter++;
        sealNonce[0] = (byte) (c >>> 24);
        sealNonce[1] = (byte) (c >>> 16);
        sealNonce[2] = (byte) (c >>> 8);
        sealNonce[3] = (byte) c;
        System.arraycopy(header, 0, out, offset, clear);
        encrypt(sealNonce, header, clear, plain, plainLength, out, offset + clear);
        int length = TransportCipher.sealedLength(clear, plainLength);
        System.arraycopy(sealNonce, 0, out, offset + length - NONCE_SUFFIX, NONCE_SUFFIX);
        return length;
    }

    /**
     * Decrypts {@code in[off..off+len)} (ciphertext and tag) under the additional data
     * {@code aad[0..aadLen)} into {@code out}; the plaintext's length, or -1 when it does not
     * authenticate.
     */
    abstract int decrypt(byte[] nonce, byte[] aad, int aadLen, byte[] in, int off, int len, byte[] out);

    /** Writes the ciphertext and tag of {@code plain[0..plainLength)} to {@code out} at {@code outOff}. */
    abstract void encrypt(byte[] nonce, byte[] aad, int aadLen, byte[] plain, int plainLength, byte[] out, int outOff);
}
