package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.MessagingFixture.assertError;
import static dev.gatehouse.server.api.MessagingFixture.data;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /channels/{id}/typing} and TYPING_START. */
class TypingApiTest extends ServerPerClass {

    static MessagingFixture fx;

    @BeforeAll
    static void start() {
        fx = new MessagingFixture(server);
    }

    private static String typing(long channelId) {
        return "/channels/" + channelId + "/typing";
    }

    @Test
    void typingInAGuildChannelPublishesTypingStartWithTheMember() {
        var g = fx.guild();
        server.events().clear();
        long before = System.currentTimeMillis() / 1000;
        var r = api.post(typing(g.general()), g.member().token(), null);
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
        assertThat(r.text()).isEmpty();
        GatewayEvent e = fx.only(DispatchType.TYPING_START);
        assertThat(e.guildId()).isEqualTo(g.id());
        assertThat(e.channelId()).isEqualTo(g.general());
        JsonNode d = data(e);
        assertThat(d.get("channel_id").asLong()).isEqualTo(g.general());
        assertThat(d.get("guild_id").asLong()).isEqualTo(g.id());
        assertThat(d.get("user_id").asLong()).isEqualTo(g.member().id());
        assertThat(d.get("timestamp").isInt()).as("unix seconds as a number").isTrue();
        assertThat(d.get("timestamp").asLong()).isBetween(before, System.currentTimeMillis() / 1000);
        // TYPING_START's member carries its user, unlike message events
        assertThat(d.at("/member/user/id").asLong()).isEqualTo(g.member().id());
        assertThat(d.at("/member/joined_at").isTextual()).isTrue();
        assertThat(fx.ids(g.general(), g.owner(), "")).as("typing sends nothing").isEmpty();

        assertThat(api.post(typing(g.voice()), g.member().token(), null).status()).isEqualTo(204);
    }

    @Test
    void typingInADirectMessageGoesToBothRecipients() {
        Account a = api.register("dm_a");
        Account b = api.register("dm_b");
        long dm = fx.dm(a, b);
        server.events().clear();
        assertThat(api.post(typing(dm), b.token(), null).status()).isEqualTo(204);
        GatewayEvent e = fx.only(DispatchType.TYPING_START);
        assertThat(e.guildId()).isNull();
        assertThat(e.userIds()).containsExactlyInAnyOrder(a.id(), b.id());
        JsonNode d = data(e);
        assertThat(d.get("user_id").asLong()).isEqualTo(b.id());
        assertThat(d.has("guild_id")).isFalse();
        assertThat(d.has("member")).isFalse();
        assertError(api.post(typing(dm), api.register("dm_c").token(), null), 403, 50001);
    }

    @Test
    void typingNeedsSendMessagesAndATextChannel() {
        var g = fx.guild();
        server.events().clear();
        assertError(api.post(typing(g.category()), g.owner().token(), null), 400, 50024);
        assertError(api.post(typing(987654321L), g.owner().token(), null), 404, 10003);
        assertError(api.post(typing(g.general()), api.register("stranger").token(), null), 403, 50001);
        fx.deny(g.general(), g.member().id(), Permission.SEND_MESSAGES);
        assertError(api.post(typing(g.general()), g.member().token(), null), 403, 50013);
        fx.deny(g.general(), g.member().id(), Permission.VIEW_CHANNEL);
        assertError(api.post(typing(g.general()), g.member().token(), null), 403, 50001);
        assertThat(server.events().of(DispatchType.TYPING_START)).isEmpty();
    }
}
