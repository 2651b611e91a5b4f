package dev.gatehouse.protocol.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.protocol.Json;
import org.junit.jupiter.api.Test;

class RequestGuildMembersTest {

    static RequestGuildMembers parse(String json) throws Exception {
        return RequestGuildMembers.parse(Json.mapper().readTree(json));
    }

    @Test
    void everyoneIsTheEmptyQueryWithLimitZero() throws Exception {
        RequestGuildMembers r = parse("{\"guild_id\":\"5\",\"query\":\"\",\"limit\":0,\"presences\":true,\"nonce\":\"abc\"}");
        assertThat(r.wantsEveryone()).isTrue();
        assertThat(r.presences()).isTrue();
        assertThat(r.nonce()).isEqualTo("abc");
        assertThat(parse("{\"guild_id\":5,\"query\":\"a\",\"limit\":0}").wantsEveryone()).isFalse();
    }

    @Test
    void userIdsMayBeOneOrMany() throws Exception {
        assertThat(parse("{\"guild_id\":\"5\",\"user_ids\":\"9\"}").userIds()).containsExactly(9L);
        assertThat(parse("{\"guild_id\":\"5\",\"user_ids\":[\"9\",8,\"9\"]}").userIds()).containsExactly(9L, 8L);
    }

    @Test
    void aNonceOver32BytesIsDroppedAsOnDiscord() throws Exception {
        assertThat(parse("{\"guild_id\":\"5\",\"query\":\"\",\"nonce\":\"" + "é".repeat(17) + "\"}").nonce()).isNull();
        assertThat(parse("{\"guild_id\":\"5\",\"query\":\"\",\"nonce\":\"" + "x".repeat(32) + "\"}").nonce()).hasSize(32);
    }

    @Test
    void malformedRequestsAreDecodeErrors() {
        StringBuilder ids = new StringBuilder();
        for (int i = 1; i <= 101; i++) {
            ids.append(i == 1 ? "" : ",").append('"').append(i).append('"');
        }
        String[] bad = {
            "null", "{}", "{\"guild_id\":\"5\"}", "{\"guild_id\":\"5\",\"query\":\"a\",\"user_ids\":[\"1\"]}",
            "{\"guild_id\":\"-5\",\"query\":\"\"}", "{\"guild_id\":\"5\",\"query\":7}", "{\"guild_id\":\"5\",\"query\":\"\",\"limit\":-1}",
            "{\"guild_id\":\"5\",\"user_ids\":[\"x\"]}", "{\"guild_id\":\"5\",\"user_ids\":[" + ids + "]}",
            "{\"guild_id\":\"5\",\"query\":\"\",\"nonce\":5}", "{\"guild_id\":\"5\",\"query\":\"\",\"presences\":\"yes\"}",
        };
        for (String json : bad) {
            assertThatThrownBy(() -> parse(json)).as(json).isInstanceOf(ProtocolViolation.class);
        }
    }
}
