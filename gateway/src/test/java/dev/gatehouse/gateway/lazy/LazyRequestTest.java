package dev.gatehouse.gateway.lazy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import org.junit.jupiter.api.Test;

class LazyRequestTest {

    static LazyRequest parse(String json) throws Exception {
        return LazyRequest.parse(Json.mapper().readTree(json));
    }

    @Test
    void parsesChannelsAndRanges() throws Exception {
        LazyRequest r = parse("{\"guild_id\":\"5\",\"channels\":{\"7\":[[0,99],[100,199]]},\"typing\":true}");
        assertThat(r.guildId()).isEqualTo(5);
        assertThat(r.channels().get(7L)).containsExactly(new LazyRequest.Range(0, 99), new LazyRequest.Range(100, 199));
        assertThat(r.typing()).isTrue();
    }

    @Test
    void malformedRequestsAreDecodeErrors() {
        String[] bad = {
            "[]", "{}", "{\"guild_id\":\"x\"}", "{\"guild_id\":\"5\",\"channels\":[]}",
            "{\"guild_id\":\"5\",\"channels\":{\"abc\":[[0,1]]}}", "{\"guild_id\":\"5\",\"channels\":{\"7\":[[5,1]]}}",
            "{\"guild_id\":\"5\",\"channels\":{\"7\":[[-1,5]]}}", "{\"guild_id\":\"5\",\"channels\":{\"7\":[[0,100]]}}",
            "{\"guild_id\":\"5\",\"channels\":{\"7\":[[0,1],[0,1],[0,1],[0,1],[0,1],[0,1]]}}",
            "{\"guild_id\":\"5\",\"channels\":{\"7\":[[0]]}}", "{\"guild_id\":\"5\",\"channels\":{\"7\":[[0,\"9\"]]}}",
        };
        for (String json : bad) {
            assertThatThrownBy(() -> parse(json)).as(json).isInstanceOf(ProtocolViolation.class)
                    .extracting(e -> ((ProtocolViolation) e).code()).isEqualTo(CloseCode.DECODE_ERROR);
        }
    }

    @Test
    void atMostTenChannels() {
        StringBuilder channels = new StringBuilder();
        for (int i = 1; i <= 11; i++) {
            channels.append(i == 1 ? "" : ",").append('"').append(i).append("\":[[0,9]]");
        }
        assertThatThrownBy(() -> parse("{\"guild_id\":\"5\",\"channels\":{" + channels + "}}")).isInstanceOf(ProtocolViolation.class);
    }
}
