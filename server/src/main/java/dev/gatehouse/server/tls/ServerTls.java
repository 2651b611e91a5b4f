package dev.gatehouse.server.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS: the configured PEM pair, or a self-signed certificate for development.
 * HTTP/1.1 only (WebSocket upgrades need it).
 *
 * @param certificate the certificate file in use, which a client can be told to trust
 */
public record ServerTls(SslContext context, Path certificate, boolean selfSigned) {

    /** @param hosts names the node is reached by, for a self-signed certificate's alternative names */
    public static ServerTls load(TlsConfig config, List<String> hosts) throws IOException {
        Path cert = config.certificate();
        Path key = config.privateKey();
        if (config.isSelfSigned()) {
            Path[] made = SelfSignedCertificate.ensure(config.selfSignedDir(), hosts);
            cert = made[0];
            key = made[1];
        }
        try {
            SslContext context = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                    .applicationProtocolConfig(ApplicationProtocolConfig.DISABLED).build();
            return new ServerTls(context, cert, config.isSelfSigned());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot use TLS certificate " + cert + " with key " + key + ": " + e.getMessage(), e);
        }
    }
}
