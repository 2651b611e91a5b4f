package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.MessagingFixture.assertError;
import static dev.gatehouse.server.api.MessagingFixture.data;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Editing, deleting and bulk deleting messages, with their events. */
class MessageEditDeleteApiTest extends ServerPerClass {

    static MessagingFixture fx;

    @BeforeAll
    static void start() {
        fx = new MessagingFixture(server);
    }

    /** An id no message has, young enough for bulk delete. */
    private static String unknownRecentId(int n) {
        return Long.toString(Snowflakes.fromTimestamp(System.currentTimeMillis() - 60_000) + n);
    }

    private static String message(long channelId, JsonNode m) {
        return "/channels/" + channelId + "/messages/" + m.get("id").asText();
    }

    @Test
    void authorEditsContentAndMentionsAreParsedAgain() {
        var g = fx.guild();
        var m = fx.send(g.general(), g.member(), Map.of("content", "draft", "nonce", "abc"));
        server.events().clear();
        var r = api.patch(message(g.general(), m), g.member().token(), Map.of("content", "final <@" + g.owner().id() + ">"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode edited = r.json();
        assertThat(edited.get("content").asText()).isEqualTo("final <@" + g.owner().id() + ">");
        assertThat(edited.get("edited_timestamp").isTextual()).isTrue();
        assertThat(edited.get("timestamp").asText()).isEqualTo(m.get("timestamp").asText());
        assertThat(MessagingFixture.ids(edited.get("mentions"))).containsExactly(g.owner().id());

        GatewayEvent e = fx.only(DispatchType.MESSAGE_UPDATE);
        assertThat(e.guildId()).isEqualTo(g.id());
        assertThat(e.channelId()).isEqualTo(g.general());
        JsonNode d = data(e);
        assertThat(d.get("id").asText()).isEqualTo(m.get("id").asText());
        assertThat(d.get("content").asText()).startsWith("final");
        assertThat(d.get("guild_id").asLong()).isEqualTo(g.id());
        assertThat(d.at("/author/id").asLong()).isEqualTo(g.member().id());
        assertThat(d.get("member").has("user")).isFalse();
        assertThat(d.get("edited_timestamp").isTextual()).isTrue();
        assertThat(d.at("/mentions/0/username").asText()).isEqualTo(g.owner().username());

        var fetched = api.get(message(g.general(), m), g.owner().token()).json();
        assertThat(fetched.get("content").asText()).startsWith("final");
        assertThat(fetched.get("mentions")).hasSize(1);

        var embedOnly = api.patch(message(g.general(), m), g.member().token(),
                Map.of("content", "", "embeds", List.of(Map.of("title", "now an embed"))));
        assertThat(embedOnly.status()).isEqualTo(200);
        assertThat(embedOnly.json().get("mentions")).isEmpty();
        assertThat(embedOnly.json().at("/embeds/0/title").asText()).isEqualTo("now an embed");
    }

    @Test
    void othersCannotEditContentAndBadEditsChangeNothing() {
        var g = fx.guild();
        var m = fx.send(g.general(), g.member(), "original");
        server.events().clear();
        // the owner has MANAGE_MESSAGES, which still does not allow changing someone else's words
        assertError(api.patch(message(g.general(), m), g.owner().token(), Map.of("content", "changed")), 403, 50005);
        assertError(api.patch(message(g.general(), m), g.owner().token(), Map.of("embeds", List.of(Map.of("title", "x")))), 403, 50005);
        assertError(api.patch(message(g.general(), m), g.owner().token(), Map.of()), 403, 50005);
        assertError(api.patch(message(g.general(), m), g.member().token(), Map.of("content", "")), 400, 50006);
        assertError(api.patch(message(g.general(), m), g.member().token(), Map.of("content", "x".repeat(2001))), 400, 50035);
        assertError(api.patch(message(g.general(), m), g.member().token(),
                Map.of("embeds", List.of(Map.of("color", -1)))), 400, 50035);
        assertError(api.patch("/channels/" + g.general() + "/messages/123456789", g.member().token(), Map.of("content", "x")), 404, 10008);
        var elsewhere = fx.send(g.voice(), g.member(), "voice");
        server.events().clear();
        assertError(api.patch("/channels/" + g.general() + "/messages/" + elsewhere.get("id").asText(), g.member().token(),
                Map.of("content", "x")), 404, 10008);

        var unchanged = api.get(message(g.general(), m), g.member().token()).json();
        assertThat(unchanged.get("content").asText()).isEqualTo("original");
        assertThat(unchanged.get("edited_timestamp").isNull()).isTrue();
        assertThat(server.events().of(DispatchType.MESSAGE_UPDATE)).isEmpty();
    }

    @Test
    void suppressEmbedsByModeratorsOnly() {
        var g = fx.guild();
        Account third = api.register("third");
        fx.join(g.id(), third);
        var m = fx.send(g.general(), g.member(), Map.of("content", "link", "embeds", List.of(Map.of("title", "preview")),
                "flags", 1 << 12));
        server.events().clear();
        assertError(api.patch(message(g.general(), m), third.token(), Map.of("flags", 4)), 403, 50013);

        var suppressed = api.patch(message(g.general(), m), g.owner().token(), Map.of("flags", 4));
        assertThat(suppressed.status()).as(suppressed.toString()).isEqualTo(200);
        // SUPPRESS_NOTIFICATIONS stays: only SUPPRESS_EMBEDS changes on edit
        assertThat(suppressed.json().get("flags").asInt()).isEqualTo(4 | 4096);
        assertThat(suppressed.json().get("embeds")).isEmpty();
        assertThat(suppressed.json().get("edited_timestamp").isNull()).as("suppressing is not an edit").isTrue();
        assertThat(data(fx.only(DispatchType.MESSAGE_UPDATE)).get("flags").asInt()).isEqualTo(4 | 4096);

        var restored = api.patch(message(g.general(), m), g.member().token(), Map.of("flags", 0));
        assertThat(restored.json().get("flags").asInt()).isEqualTo(4096);
        assertThat(restored.json().at("/embeds/0/title").asText()).isEqualTo("preview");
    }

    @Test
    void deleteByAuthorOrModerator() {
        var g = fx.guild();
        Account third = api.register("third");
        fx.join(g.id(), third);
        var own = fx.send(g.general(), g.member(), "mine");
        var other = fx.send(g.general(), g.member(), "also mine");
        server.events().clear();

        assertError(api.delete(message(g.general(), own), third.token()), 403, 50013);
        assertThat(server.events().of(DispatchType.MESSAGE_DELETE)).isEmpty();

        var r = api.delete(message(g.general(), own), g.member().token());
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.text()).isEmpty();
        GatewayEvent e = fx.only(DispatchType.MESSAGE_DELETE);
        assertThat(e.guildId()).isEqualTo(g.id());
        assertThat(e.channelId()).isEqualTo(g.general());
        JsonNode d = data(e);
        assertThat(d.get("id").asText()).isEqualTo(own.get("id").asText());
        assertThat(d.get("channel_id").asLong()).isEqualTo(g.general());
        assertThat(d.get("guild_id").asLong()).isEqualTo(g.id());
        assertError(api.get(message(g.general(), own), g.member().token()), 404, 10008);
        assertError(api.delete(message(g.general(), own), g.member().token()), 404, 10008);
        assertError(api.delete("/channels/" + g.voice() + "/messages/" + other.get("id").asText(), g.owner().token()), 404, 10008);

        assertThat(api.delete(message(g.general(), other), g.owner().token()).status()).isEqualTo(204);
        assertThat(fx.ids(g.general(), g.owner(), "")).isEmpty();
    }

    @Test
    void directMessagesAreDeletedByTheirAuthorOnly() {
        Account a = api.register("dm_a");
        Account b = api.register("dm_b");
        long dm = fx.dm(a, b);
        var m = fx.send(dm, a, "hello");
        server.events().clear();
        assertError(api.delete(message(dm, m), b.token()), 403, 50003);
        assertError(api.patch(message(dm, m), b.token(), Map.of("content", "edited by b")), 403, 50005);
        assertError(api.patch(message(dm, m), b.token(), Map.of("flags", 4)), 403, 50013);
        assertThat(api.patch(message(dm, m), a.token(), Map.of("content", "edited")).status()).isEqualTo(200);
        fx.onlyForEach(DispatchType.MESSAGE_UPDATE, a.id(), b.id());
        assertThat(api.delete(message(dm, m), a.token()).status()).isEqualTo(204);
        GatewayEvent e = fx.onlyForEach(DispatchType.MESSAGE_DELETE, a.id(), b.id());
        assertThat(data(e).has("guild_id")).isFalse();
    }

    @Test
    void bulkDeleteRemovesKnownMessagesOfTheChannel() {
        var g = fx.guild();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(fx.send(g.general(), g.member(), "m" + i).get("id").asText());
        }
        String keep = fx.send(g.general(), g.member(), "keep").get("id").asText();
        String elsewhere = fx.send(g.voice(), g.member(), "voice").get("id").asText();
        List<String> requested = new ArrayList<>(ids);
        requested.add(unknownRecentId(1));
        requested.add(elsewhere);
        server.events().clear();

        var r = api.post("/channels/" + g.general() + "/messages/bulk-delete", g.owner().token(), Map.of("messages", requested));
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
        GatewayEvent e = fx.only(DispatchType.MESSAGE_DELETE_BULK);
        assertThat(e.guildId()).isEqualTo(g.id());
        assertThat(e.channelId()).isEqualTo(g.general());
        JsonNode d = data(e);
        assertThat(d.get("ids")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(d.get("ids").get(0).isTextual()).isTrue();
        assertThat(d.get("channel_id").asLong()).isEqualTo(g.general());
        assertThat(d.get("guild_id").asLong()).isEqualTo(g.id());
        assertThat(fx.ids(g.general(), g.owner(), "")).containsExactly(Long.parseLong(keep));
        assertThat(fx.ids(g.voice(), g.owner(), "")).containsExactly(Long.parseLong(elsewhere));
    }

    @Test
    void bulkDeleteRefusals() {
        var g = fx.guild();
        String a = fx.send(g.general(), g.member(), "a").get("id").asText();
        String b = fx.send(g.general(), g.member(), "b").get("id").asText();
        String path = "/channels/" + g.general() + "/messages/bulk-delete";
        server.events().clear();

        var one = api.post(path, g.owner().token(), Map.of("messages", List.of(a)));
        assertError(one, 400, 50035);
        assertThat(one.json().at("/errors/messages/_errors/0/code").asText()).isEqualTo("BASE_TYPE_MIN_LENGTH");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(Long.toString(1_000_000L + i));
        }
        var tooMany = api.post(path, g.owner().token(), Map.of("messages", many));
        assertError(tooMany, 400, 50035);
        assertThat(tooMany.json().at("/errors/messages/_errors/0/code").asText()).isEqualTo("BASE_TYPE_MAX_LENGTH");
        assertError(api.post(path, g.owner().token(), Map.of("messages", List.of(a, a))), 400, 50016);
        assertError(api.post(path, g.owner().token(), Map.of()), 400, 50035);
        assertError(api.post(path, g.owner().token(), Map.of("messages", List.of(a, "x"))), 400, 50035);

        long fifteenDaysAgo = Snowflakes.fromTimestamp(System.currentTimeMillis() - Duration.ofDays(15).toMillis());
        assertError(api.post(path, g.owner().token(), Map.of("messages", List.of(a, b, Long.toString(fifteenDaysAgo)))), 400, 50034);
        assertError(api.post(path, g.member().token(), Map.of("messages", List.of(a, b))), 403, 50013);
        assertError(api.post("/channels/" + g.category() + "/messages/bulk-delete", g.owner().token(),
                Map.of("messages", List.of(a, b))), 400, 50024);

        Account x = api.register("dm_x");
        long dm = fx.dm(g.member(), x);
        String d1 = fx.send(dm, g.member(), "1").get("id").asText();
        String d2 = fx.send(dm, g.member(), "2").get("id").asText();
        server.events().clear();
        assertError(api.post("/channels/" + dm + "/messages/bulk-delete", g.member().token(), Map.of("messages", List.of(d1, d2))), 403, 50003);

        assertThat(fx.ids(g.general(), g.owner(), "")).hasSize(2);
        assertThat(fx.ids(dm, x, "")).hasSize(2);
        assertThat(server.events().of(DispatchType.MESSAGE_DELETE_BULK)).isEmpty();
    }

    @Test
    void bulkDeleteMaySkipEverything() {
        var g = fx.guild();
        fx.send(g.general(), g.member(), "stays");
        var r = api.post("/channels/" + g.general() + "/messages/bulk-delete", g.owner().token(),
                Map.of("messages", List.of(unknownRecentId(1), unknownRecentId(2))));
        assertThat(r.status()).isEqualTo(204);
        assertThat(server.events().of(DispatchType.MESSAGE_DELETE_BULK)).as("nothing deleted, nothing published").isEmpty();
        assertThat(fx.ids(g.general(), g.owner(), "")).hasSize(1);
        var old = api.post("/channels/" + g.general() + "/messages/bulk-delete", g.owner().token(), Map.of("messages", List.of("1", "2")));
        assertError(old, 400, 50034);
    }
}
