package dev.gatehouse.server;

import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.server.tls.TlsConfig;
import dev.gatehouse.store.DatabaseConfig;

/**
 * Everything {@code gatehouse serve} can be told.
 *
 * @param host address to bind
 * @param port one port for the HTTP API and the gateway WebSocket; 0 picks a free one (tests)
 * @param publicUrl the base URL clients reach us at ({@code http://host:port}); derived when null
 * @param database where the durable state is
 * @param maxBodyBytes the largest request body accepted (413 beyond)
 * @param rateLimits whether the HTTP rate limits apply (off only for load programs and tests)
 * @param limits the platform's tunable limits
 * @param worker snowflake worker id of this node (0..31)
 * @param gateway the gateway's timings and limits
 * @param tls HTTPS and WSS on a second port, or null for none
 * @param voice the voice server
 * @param cluster cluster mode, or null for a node on its own
 */
public record ServerConfig(
        String host,
        int port,
        String publicUrl,
        DatabaseConfig database,
        int maxBodyBytes,
        boolean rateLimits,
        PlatformLimits limits,
        int worker,
        GatewayConfig gateway,
        TlsConfig tls,
        VoiceSettings voice,
        ClusterConfig cluster) {

    public static ServerConfig defaults(DatabaseConfig database) {
        return new ServerConfig("0.0.0.0", 8080, null, database, 1 << 20, true, PlatformLimits.defaults(), 0,
                GatewayConfig.defaults(), null, VoiceSettings.defaults(), null);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, publicUrl, database, maxBodyBytes, rateLimits, limits, worker, gateway, tls, voice, cluster);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, publicUrl, database, maxBodyBytes, rateLimits, limits, worker, gateway, tls, voice, cluster);
    }

    public ServerConfig withRateLimits(boolean enabled) {
        return new ServerConfig(host, port, publicUrl, database, maxBodyBytes, enabled, limits, worker, gateway, tls, voice, cluster);
    }

    public ServerConfig withLimits(PlatformLimits newLimits) {
        return new ServerConfig(host, port, publicUrl, database, maxBodyBytes, rateLimits, newLimits, worker, gateway, tls, voice, cluster);
    }

    public ServerConfig withGateway(GatewayConfig newGateway) {
        return new ServerConfig(host, port, publicUrl, database, maxBodyBytes, rateLimits, limits, worker, newGateway, tls, voice, cluster);
    }

    public ServerConfig withPublicUrl(String url) {
        return new ServerConfig(host, port, url, database, maxBodyBytes, rateLimits, limits, worker, gateway, tls, voice, cluster);
    }

    public ServerConfig withTls(TlsConfig newTls) {
        return new ServerConfig(host, port, publicUrl, database, maxBodyBytes, rateLimits, limits, worker, gateway, newTls, voice, cluster);
    }

    public ServerConfig withCluster(ClusterConfig newCluster) {
        return new ServerConfig(host, port, publicUrl, database, maxBodyBytes, rateLimits, limits, worker, gateway, tls, voice, newCluster);
    }

    public ServerConfig withVoice(VoiceSettings newVoice) {
        return new ServerConfig(host, port, publicUrl, database, maxBodyBytes, rateLimits, limits, worker, gateway, tls, newVoice, cluster);
    }
}
