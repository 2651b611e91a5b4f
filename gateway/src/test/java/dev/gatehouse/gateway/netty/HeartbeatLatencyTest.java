package dev.gatehouse.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.auth.PasswordHasher;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.compress.Compression;
import dev.gatehouse.protocol.gateway.Encoding;
import dev.gatehouse.store.DatabaseConfig;
import dev.gatehouse.store.JdbcStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat-latency metric where the kernel's TCP estimate is not at hand (any transport but
 * epoll; here an embedded channel): each client heartbeat sends a WebSocket ping carrying the send
 * time, and its pong records one sample. (On epoll, the server's integration test reads TCP_INFO.)
 */
class HeartbeatLatencyTest {

    @Test
    void eachHeartbeatIsAnsweredWithAPingWhosePongRecordsOneSample() {
        try (JdbcStore store = JdbcStore.open(DatabaseConfig.inMemory("latency-" + UUID.randomUUID()))) {
            Clock clock = Clock.systemUTC();
            Platform platform = new Platform(new Platform.Context(store, new LocalEventBus(store), clock, new Snowflakes(clock, 1, 1),
                    new PasswordHasher(), PlatformLimits.defaults()));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (Gateway gateway = new Gateway(platform, GatewayConfig.defaults(), meters, () -> "ws://127.0.0.1/gateway")) {
                GatewayEncoder encoder = new GatewayEncoder(gateway.metrics(), Encoding.JSON, Compression.NONE,
                        gateway.config().compression());
                GatewayChannelHandler handler = new GatewayChannelHandler(gateway, Dialect.DISCORD, Encoding.JSON, encoder);
                EmbeddedChannel channel = new EmbeddedChannel(handler);
                handler.start(channel.pipeline().context(handler));
                for (int beat = 0; beat < 2; beat++) {
                    channel.writeInbound(new TextWebSocketFrame("{\"op\":1,\"d\":null}"));
                    PingWebSocketFrame ping = null;
                    Object out;
                    while ((out = channel.readOutbound()) != null) {
                        if (out instanceof PingWebSocketFrame p) {
                            ping = p;
                        }
                    }
                    assertThat(ping).as("heartbeat %s is followed by a latency ping", beat).isNotNull();
                    channel.writeInbound(new PongWebSocketFrame(ping.content()));
                }
                assertThat(meters.get("gatehouse.gateway.heartbeat.latency").timer().count()).isEqualTo(2);
                channel.finishAndReleaseAll();
            }
        }
    }
}
