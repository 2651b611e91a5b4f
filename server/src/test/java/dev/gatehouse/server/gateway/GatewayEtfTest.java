package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** encoding=etf over real sockets: both directions binary ETF, alone and under compression. */
class GatewayEtfTest extends WorldPerClass {

    @ParameterizedTest
    @ValueSource(strings = {"v=10&encoding=etf", "v=10&encoding=etf&compress=zlib-stream", "v=1&encoding=etf&compress=zstd-stream"})
    void aSessionSpeaksEtfBothWays(String query) {
        Account member = world.member("erl");
        try (GatewayTestClient c = world.identified(member, query, 1 | (1 << 9) | GatewayWorld.MESSAGE_CONTENT)) {
            world.post(world.owner, world.channelId, "über etf");
            JsonNode message = c.nextDispatch("MESSAGE_CREATE", WAIT);
            assertThat(message.at("/d/content").asText()).isEqualTo("über etf");
            assertThat(message.at("/d/author/id").asText()).isEqualTo(Long.toString(world.owner.id()));
            c.heartbeat(message.get("s").longValue());
            JsonNode ack = c.next(WAIT);
            while (ack.get("op").intValue() == 0) {
                ack = c.next(WAIT);
            }
            assertThat(ack.get("op").intValue()).isEqualTo(11);
            assertThat(ack.get("d").isNull()).isTrue();
        }
    }

    @Test
    void malformedEtfIsADecodeError() {
        try (GatewayTestClient c = world.connect("v=10&encoding=etf")) {
            c.next(WAIT);
            c.sendRawBinary(new byte[] {(byte) 131, 116, 0, 0, 0, 9});
            var close = c.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4002);
            assertThat(close.reason()).startsWith("Invalid ETF");
        }
    }

    @Test
    void jsonOnAnEtfConnectionIsADecodeError() {
        try (GatewayTestClient c = world.connect("v=10&encoding=etf")) {
            c.next(WAIT);
            c.sendRaw("{\"op\":1,\"d\":null}");
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4002);
        }
    }
}
