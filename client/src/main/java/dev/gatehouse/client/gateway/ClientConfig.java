package dev.gatehouse.client.gateway;

import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.compress.Compression;
import dev.gatehouse.protocol.gateway.Encoding;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a gateway client connects and identifies. Start from {@link #of} and change what differs.
 *
 * @param gateway the gateway's URL without query ({@code ws://host:port/gateway})
 * @param token the token as identify sends it (a bot's without the {@code "Bot "} scheme)
 * @param dialect Discord's ({@code v=10}) or Fluxer's ({@code v=1})
 * @param intents the intents to identify with (discord dialect)
 * @param helloTimeout how long a new connection may stay without Hello before it counts as failed
 * @param sendLimits the server's limits the client paces what it sends under
 */
public record ClientConfig(URI gateway, String token, Dialect dialect, long intents, int shardId, int shardCount,
        Encoding encoding, Compression compression, ReconnectPolicy policy, Duration helloTimeout, SendLimits sendLimits) {

    public ClientConfig {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(sendLimits, "sendLimits");
        if (dialect == Dialect.FLUXER && compression == Compression.ZLIB_STREAM) {
            throw new IllegalArgumentException("fluxer streams zstd only: use zstd-stream or none");
        }
        if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
            throw new IllegalArgumentException("bad shard [" + shardId + ", " + shardCount + "]");
        }
    }

    /** Discord's dialect, JSON, zlib-stream, one shard, the default reconnection policy. */
    public static ClientConfig of(URI gateway, String token, long intents) {
        String raw = token.startsWith("Bot ") ? token.substring(4) : token;
        return new ClientConfig(gateway, raw, Dialect.DISCORD, intents, 0, 1, Encoding.JSON, Compression.ZLIB_STREAM,
                ReconnectPolicy.defaults(), Duration.ofSeconds(30), SendLimits.defaults());
    }

    /**
     * Another dialect. Fluxer streams zstd only, so a zlib-stream configuration becomes zstd-stream
     * (call {@link #withCompression} after this one to choose otherwise).
     */
    public ClientConfig withDialect(Dialect d) {
        Compression c = d == Dialect.FLUXER && compression == Compression.ZLIB_STREAM ? Compression.ZSTD_STREAM : compression;
        return new ClientConfig(gateway, token, d, intents, shardId, shardCount, encoding, c, policy, helloTimeout, sendLimits);
    }

    public ClientConfig withShard(int id, int count) {
        return new ClientConfig(gateway, token, dialect, intents, id, count, encoding, compression, policy, helloTimeout, sendLimits);
    }

    public ClientConfig withEncoding(Encoding e) {
        return new ClientConfig(gateway, token, dialect, intents, shardId, shardCount, e, compression, policy, helloTimeout, sendLimits);
    }

    public ClientConfig withCompression(Compression c) {
        return new ClientConfig(gateway, token, dialect, intents, shardId, shardCount, encoding, c, policy, helloTimeout, sendLimits);
    }

    public ClientConfig withPolicy(ReconnectPolicy p) {
        return new ClientConfig(gateway, token, dialect, intents, shardId, shardCount, encoding, compression, p, helloTimeout, sendLimits);
    }

    public ClientConfig withSendLimits(SendLimits limits) {
        return new ClientConfig(gateway, token, dialect, intents, shardId, shardCount, encoding, compression, policy, helloTimeout,
                limits);
    }

    /** The URL to connect to: {@code base} (the gateway, or READY's resume URL) with this client's query. */
    public String url(String base) {
        StringBuilder url = new StringBuilder(base.replaceAll("[?/]+$", ""));
        url.append("?v=").append(dialect == Dialect.DISCORD ? 10 : 1);
        url.append("&encoding=").append(encoding == Encoding.ETF ? "etf" : "json");
        compression.queryValue().ifPresent(q -> url.append("&compress=").append(q));
        return url.toString();
    }
}
