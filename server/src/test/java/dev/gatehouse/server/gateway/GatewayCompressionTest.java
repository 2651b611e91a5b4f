package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** zlib-stream, zstd-stream and Identify compress:true over real sockets, resume included. */
class GatewayCompressionTest extends WorldPerClass {

    @ParameterizedTest
    @ValueSource(strings = {"v=10&compress=zlib-stream", "v=10&compress=zstd-stream", "v=1&compress=zstd-stream"})
    void compressedStreamsCarryTheWholeSessionAndItsResume(String query) {
        Account member = world.member("squeezed");
        GatewayTestClient first = world.identified(member, query, 1 | (1 << 9) | GatewayWorld.MESSAGE_CONTENT);
        String session = first.received().stream().filter(f -> "READY".equals(f.path("t").asText())).findFirst().orElseThrow()
                .at("/d/session_id").asText();
        world.post(world.owner, world.channelId, "compressed hello");
        JsonNode message = first.nextDispatch("MESSAGE_CREATE", WAIT);
        assertThat(message.at("/d/content").asText()).isEqualTo("compressed hello");
        long seq = message.get("s").longValue();
        first.abort();
        world.post(world.owner, world.channelId, "while away");
        try (GatewayTestClient second = world.connect(query)) {
            assertThat(second.next(WAIT).get("op").intValue()).isEqualTo(10);
            second.resume(member.token(), session, seq);
            JsonNode missed = second.nextDispatch("MESSAGE_CREATE", WAIT);
            assertThat(missed.at("/d/content").asText()).isEqualTo("while away");
            assertThat(missed.get("s").longValue()).isEqualTo(seq + 1);
            assertThat(second.nextDispatch("RESUMED", WAIT).get("s").longValue()).isEqualTo(seq + 2);
        }
    }

    @Test
    void identifyCompressSendsEachPayloadAsItsOwnZlibStream() {
        Account member = world.member("payloads");
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.send(Map.of("op", 2, "d", Map.of("token", member.token(), "intents", 1 | (1 << 9), "compress", true)));
            JsonNode ready = c.nextDispatch("READY", WAIT);
            assertThat(ready.get("s").longValue()).isEqualTo(1);
            world.post(world.owner, world.channelId, "one by one");
            c.nextDispatch("MESSAGE_CREATE", WAIT);
            assertThat(c.payloadCompressedFrames()).isGreaterThanOrEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=1&compress=zlib-stream", "v=10&compress=brotli"})
    void compressionsADialectDoesNotServeClose4002(String query) {
        try (GatewayTestClient c = world.connect(query)) {
            var close = c.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4002);
            assertThat(close.reason()).contains("compression");
        }
    }
}
