package dev.gatehouse.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.gateway.ClientConfig;
import dev.gatehouse.client.gateway.GatewayClient;
import dev.gatehouse.client.gateway.GatewayListener;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The floor speaks enough of the gateway for the load generator's sessions: the client SDK
 * identifies on it, and a message posted over HTTP reaches every session, numbered in order.
 */
class BareBroadcasterTest {

    record Got(String type, JsonNode data, long seq) {}

    @Test
    void sdkSessionsGetReadyAndEveryPostedMessageNumberedInOrder() throws Exception {
        Channel floor = BareBroadcaster.start(0);
        int port = ((InetSocketAddress) floor.localAddress()).getPort();
        BlockingQueue<Got> first = new LinkedBlockingQueue<>();
        BlockingQueue<Got> second = new LinkedBlockingQueue<>();
        GatewayClient a = session(port, first);
        GatewayClient b = session(port, second);
        try {
            for (BlockingQueue<Got> got : java.util.List.of(first, second)) {
                Got ready = got.poll(10, TimeUnit.SECONDS);
                assertThat(ready).isNotNull();
                assertThat(ready.type()).isEqualTo("READY");
                assertThat(ready.seq()).isEqualTo(1);
                assertThat(ready.data().at("/guilds/0/unavailable").asBoolean()).isTrue();
            }
            HttpClient http = HttpClient.newHttpClient();
            String token = register(http, port);
            for (int n = 0; n < 3; n++) {
                HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v10/channels/1/messages")).header("Authorization", token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"bench-" + n + "-at-1\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(posted.statusCode()).isEqualTo(200);
            }
            for (BlockingQueue<Got> got : java.util.List.of(first, second)) {
                for (int n = 0; n < 3; n++) {
                    Got message = got.poll(10, TimeUnit.SECONDS);
                    assertThat(message).isNotNull();
                    assertThat(message.type()).isEqualTo("MESSAGE_CREATE");
                    assertThat(message.seq()).isEqualTo(n + 2);
                    assertThat(message.data().get("content").asText()).isEqualTo("bench-" + n + "-at-1");
                }
            }
        } finally {
            a.close();
            b.close();
            floor.close().sync();
        }
    }

    static GatewayClient session(int port, BlockingQueue<Got> got) {
        return GatewayClient.start(ClientConfig.of(URI.create("ws://127.0.0.1:" + port + "/gateway"), "1.token", 513),
                new GatewayListener() {
                    @Override
                    public void onDispatch(String type, JsonNode data, long seq) {
                        got.add(new Got(type, data, seq));
                    }
                });
    }

    static String register(HttpClient http, int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v10/auth/register"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"u\",\"password\":\"p\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("token").asText();
    }
}
