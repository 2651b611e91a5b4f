package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading: once the bytes queued for it pass the limit the server drops the
 * connection instead of buffering without bound, and the session stays resumable.
 */
class SlowReaderTest {

    @Test
    void aClientThatStopsReadingIsDroppedAndCanResume() throws Exception {
        try (GatewayWorld world = GatewayWorld.start(c -> c.withGateway(GatewayConfig.defaults().withMaxUnreadBytes(64 * 1024)))) {
            Account member = world.member("sloth");
            String sessionId;
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", world.server.server().port()));
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] key = new byte[16];
                new SecureRandom().nextBytes(key);
                out.write(("GET /gateway?v=10&encoding=json HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                        + Base64.getEncoder().encodeToString(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readUntil(in, "\r\n\r\n");
                out.write(maskedText("{\"op\":2,\"d\":{\"token\":\"" + member.token() + "\",\"intents\":1}}"));
                out.flush();
                sessionId = readSessionId(in);
                // from here on nothing is read: flood the guild with large events
                Map<String, Object> big = Map.of("id", Long.toString(world.guildId), "padding", "x".repeat(20_000));
                long deadline = System.nanoTime() + WAIT.toNanos();
                int published = 0;
                while (world.server.server().gateway().metrics().connections() > 0 && System.nanoTime() < deadline) {
                    // as a change to the guild would: logged in a transaction inside the guild's section
                    var bus = world.server.server().bus();
                    var store = world.server.server().store();
                    bus.order().writing(List.of(world.guildId), () -> store.write(tx -> {
                        tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_UPDATE, world.guildId, big));
                        return null;
                    }));
                    published++;
                    Thread.sleep(published < 200 ? 0 : 20);
                }
                assertThat(world.server.server().gateway().metrics().connections()).as("dropped after %d events", published)
                        .isZero();
                assertThat(published).as("within the replay buffer, so the resume can replay them").isLessThan(700);
            }
            try (GatewayTestClient c = world.connect("v=10")) {
                c.next(WAIT);
                c.resume(member.token(), sessionId, 1);
                JsonNode first = c.next(WAIT);
                assertThat(first.get("op").intValue()).isZero();
                assertThat(first.get("s").longValue()).isEqualTo(2);
                assertThat(c.nextDispatch("RESUMED", java.time.Duration.ofSeconds(30))).isNotNull();
            }
        }
    }

    private static void readUntil(InputStream in, String end) throws Exception {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed during the handshake: " + seen);
            }
            seen.append((char) b);
        }
    }

    /** Reads raw bytes until READY's session id has gone by (the frames are small and unmasked). */
    private static String readSessionId(InputStream in) throws Exception {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[1024];
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("closed before READY: " + seen);
            }
            seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            int at = seen.indexOf("\"session_id\":\"");
            if (at >= 0 && seen.length() >= at + 14 + 32) {
                return seen.substring(at + 14, at + 14 + 32);
            }
        }
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        int headerLength = payload.length < 126 ? 2 : 4;
        byte[] frame = new byte[headerLength + 4 + payload.length];
        frame[0] = (byte) 0x81;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(mask, 0, frame, headerLength, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[headerLength + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
