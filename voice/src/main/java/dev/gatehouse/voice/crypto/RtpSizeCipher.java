package dev.gatehouse.voice.crypto;

import java.util.Arrays;

/**
 * What both {@code _rtpsize} modes share: the packet layout and the nonce, whose first 4 bytes are
 * a big-endian counter and whose other bytes are zero. A subclass supplies the AEAD.
 */
abstract class RtpSizeCipher implements TransportCipher {

    private final byte[] nonce;
    private int counter;

    RtpSizeCipher(int nonceBytes, byte[] key) {
        if (key.length != EncryptionMode.KEY_BYTES) {
            throw new IllegalArgumentException("key must be 32 bytes, not " + key.length);
        }
        this.nonce = new byte[nonceBytes];
    }

    @Override
    public final byte[] open(byte[] packet, int len, int clear) {
        int sealed = len - clear - NONCE_SUFFIX;
        if (clear < 0 || sealed < TAG) {
            return null;
        }
        byte[] n = new byte[nonce.length];
        System.arraycopy(packet, len - NONCE_SUFFIX, n, 0, NONCE_SUFFIX);
        return decrypt(n, packet, 0, clear, packet, clear, sealed);
    }

    @Override
    public final byte[] seal(byte[] header, int clear, byte[] plaintext) {
        int c = counter++;
        Arrays.fill(nonce, (byte) 0);
        nonce[0] = (byte) (c >>> 24);
        nonce[1] = (byte) (c >>> 16);
        nonce[2] = (byte) (c >>> 8);
        nonce[3] = (byte) c;
        byte[] out = new byte[clear + plaintext.length + TAG + NONCE_SUFFIX];
        System.arraycopy(header, 0, out, 0, clear);
        encrypt(nonce, header, clear, plaintext, out, clear);
        System.arraycopy(nonce, 0, out, out.length - NONCE_SUFFIX, NONCE_SUFFIX);
        return out;
    }

    /** Plaintext of {@code in[off..off+len)} (ciphertext and tag), or null when it does not authenticate. */
    abstract byte[] decrypt(byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] in, int off, int len);

    /** Writes ciphertext and tag of {@code plaintext} to {@code out} at {@code outOff}. */
    abstract void encrypt(byte[] nonce, byte[] aad, int aadLen, byte[] plaintext, byte[] out, int outOff);
}
