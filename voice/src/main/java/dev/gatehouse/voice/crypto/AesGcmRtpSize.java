package dev.gatehouse.voice.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code aead_aes256_gcm_rtpsize}: AES-256-GCM with a 12-byte nonce, from the JDK (AES-NI where
 * there is one). One JDK cipher per direction: a cipher switched between decrypting and encrypting
 * sets its key up again on every switch, and the relay does both for every member.
 */
final class AesGcmRtpSize extends RtpSizeCipher {

    private final SecretKeySpec key;
    private final Cipher decryptor;
    private final Cipher encryptor;

    AesGcmRtpSize(byte[] key) {
        super(12, key);
        this.key = new SecretKeySpec(key.clone(), "AES");
        try {
            this.decryptor = Cipher.getInstance("AES/GCM/NoPadding");
            this.encryptor = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    }

    @Override
    public EncryptionMode mode() {
        return EncryptionMode.AEAD_AES256_GCM_RTPSIZE;
    }

    @Override
    int decrypt(byte[] nonce, byte[] aad, int aadLen, byte[] in, int off, int len, byte[] out) {
        try {
            decryptor.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            decryptor.updateAAD(aad, 0, aadLen);
            return decryptor.doFinal(in, off, len, out, 0);
        } catch (AEADBadTagException forged) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM refused a well-formed input", e);
        }
    }

    @Override
    void encrypt(byte[] nonce, byte[] aad, int aadLen, byte[] plain, int plainLength, byte[] out, int outOff) {
        try {
            encryptor.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            encryptor.updateAAD(aad, 0, aadLen);
            encryptor.doFinal(plain, 0, plainLength, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM refused a well-formed input", e);
        }
    }
}
