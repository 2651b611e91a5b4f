package dev.gatehouse.voice.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** {@code aead_xchacha20_poly1305_rtpsize}: XChaCha20-Poly1305 with a 24-byte nonce, from Bouncy Castle. */
final class XChaCha20RtpSize extends RtpSizeCipher {

    private final KeyParameter key;
    private final XChaCha20Poly1305 aead = new XChaCha20Poly1305();

    XChaCha20RtpSize(byte[] key) {
        super(24, key);
        this.key = new KeyParameter(key.clone());
    }

    @Override
    public EncryptionMode mode() {
        return EncryptionMode.AEAD_XCHACHA20_POLY1305_RTPSIZE;
    }

    @Override
    int decrypt(byte[] nonce, byte[] aad, int aadLen, byte[] in, int off, int len, byte[] out) {
        aead.init(false, new AEADParameters(key, TAG * 8, nonce));
        aead.processAADBytes(aad, 0, aadLen);
        try {
            int n = aead.processBytes(in, off, len, out, 0);
            return n + aead.doFinal(out, n);
        } catch (InvalidCipherTextException forged) {
            return -1;
        }
    }

    @Override
    void encrypt(byte[] nonce, byte[] aad, int aadLen, byte[] plain, int plainLength, byte[] out, int outOff) {
        aead.init(true, new AEADParameters(key, TAG * 8, nonce));
        aead.processAADBytes(aad, 0, aadLen);
        int n = aead.processBytes(plain, 0, plainLength, out, outOff);
        try {
            aead.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail authentication", e);
        }
    }
}
