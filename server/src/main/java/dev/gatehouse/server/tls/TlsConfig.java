package dev.gatehouse.server.tls;

import java.nio.file.Path;

/**
 * HTTPS and WSS on a second port: the API, the gateway and the voice gateway, as on the plain port.
 *
 * @param port the TLS port; 0 picks a free one (tests)
 * @param certificate PEM certificate chain, or null for a self-signed one
 * @param privateKey PEM private key (PKCS#8 or PKCS#1), with {@code certificate}
 * @param selfSignedDir where a self-signed certificate is made and kept when none is given
 */
public record TlsConfig(int port, Path certificate, Path privateKey, Path selfSignedDir) {

    public TlsConfig {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("a TLS certificate needs its private key, and a key its certificate");
        }
        if (certificate == null && selfSignedDir == null) {
            throw new IllegalArgumentException("TLS needs a certificate and key, or a directory for a self-signed one");
        }
    }

    public static TlsConfig pem(int port, Path certificate, Path privateKey) {
        return new TlsConfig(port, certificate, privateKey, null);
    }

    public static TlsConfig selfSigned(int port, Path dir) {
        return new TlsConfig(port, null, null, dir);
    }

    public boolean isSelfSigned() {
        return certificate == null;
    }
}
