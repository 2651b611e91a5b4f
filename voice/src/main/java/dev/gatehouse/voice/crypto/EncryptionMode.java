package dev.gatehouse.voice.crypto;

/** The transport encryption modes offered in Ready, in the server's order of preference. */
public enum EncryptionMode {
    AEAD_AES256_GCM_RTPSIZE("aead_aes256_gcm_rtpsize"),
    AEAD_XCHACHA20_POLY1305_RTPSIZE("aead_xchacha20_poly1305_rtpsize");

    public static final int KEY_BYTES = 32;

    private final String wireName;

    EncryptionMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** A cipher in this mode under a 32-byte key. */
    public TransportCipher cipher(byte[] key) {
        return switch (this) {
            case AEAD_AES256_GCM_RTPSIZE -> new AesGcmRtpSize(key);
            case AEAD_XCHACHA20_POLY1305_RTPSIZE -> new XChaCha20RtpSize(key);
        };
    }

    /** The mode with this name, or null. */
    public static EncryptionMode of(String name) {
        for (EncryptionMode m : values()) {
            if (m.wireName.equals(name)) {
                return m;
            }
        }
        return null;
    }
}
