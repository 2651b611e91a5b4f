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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reactions: adding, listing, removing, limits, permissions and their events. */
class ReactionsApiTest extends ServerPerClass {

    static final String THUMBS_UP = "\uD83D\uDC4D";
    static final String THUMBS_UP_URL = "%F0%9F%91%8D";
    static final String HEART = "\u2764\uFE0F";

    static MessagingFixture fx;

    @BeforeAll
    static void start() {
        fx = new MessagingFixture(server);
    }

    private static String reactions(long channelId, JsonNode message) {
        return "/channels/" + channelId + "/messages/" + message.get("id").asText() + "/reactions";
    }

    private static String enc(String emoji) {
        return URLEncoder.encode(emoji, StandardCharsets.UTF_8);
    }

    @Test
    void addingAReactionPublishesReactionAddOnce() {
        var g = fx.guild();
        var m = fx.send(g.general(), g.owner(), "react to me");
        server.events().clear();
        var r = api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.member().token(), null);
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
        assertThat(r.text()).isEmpty();

        GatewayEvent e = fx.only(DispatchType.MESSAGE_REACTION_ADD);
        assertThat(e.guildId()).isEqualTo(g.id());
        assertThat(e.channelId()).isEqualTo(g.general());
        JsonNode d = data(e);
        assertThat(d.get("user_id").asLong()).isEqualTo(g.member().id());
        assertThat(d.get("channel_id").asLong()).isEqualTo(g.general());
        assertThat(d.get("message_id").asText()).isEqualTo(m.get("id").asText());
        assertThat(d.get("guild_id").asLong()).isEqualTo(g.id());
        assertThat(d.get("message_author_id").asLong()).isEqualTo(g.owner().id());
        assertThat(d.at("/member/user/id").asLong()).isEqualTo(g.member().id());
        assertThat(d.get("emoji").has("id")).isTrue();
        assertThat(d.at("/emoji/id").isNull()).isTrue();
        assertThat(d.at("/emoji/name").asText()).isEqualTo(THUMBS_UP);
        assertThat(d.get("burst").asBoolean()).isFalse();
        assertThat(d.get("type").asInt()).isZero();

        // the same reaction again changes nothing and publishes nothing
        assertThat(api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.member().token(), null).status()).isEqualTo(204);
        assertThat(server.events().of(DispatchType.MESSAGE_REACTION_ADD)).hasSize(1);
        assertThat(api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.owner().token(), null).status()).isEqualTo(204);
        assertThat(api.put(reactions(g.general(), m) + "/" + enc(HEART) + "/@me", g.owner().token(), null).status()).isEqualTo(204);

        String path = "/channels/" + g.general() + "/messages/" + m.get("id").asText();
        JsonNode asMember = api.get(path, g.member().token()).json().get("reactions");
        assertThat(asMember).hasSize(2);
        JsonNode thumbs = byEmoji(asMember, THUMBS_UP);
        assertThat(thumbs.get("count").asInt()).isEqualTo(2);
        assertThat(thumbs.at("/count_details/normal").asInt()).isEqualTo(2);
        assertThat(thumbs.at("/emoji/id").isNull()).isTrue();
        assertThat(thumbs.get("me").asBoolean()).isTrue();
        assertThat(byEmoji(asMember, HEART).get("count").asInt()).isEqualTo(1);
        assertThat(byEmoji(asMember, HEART).get("me").asBoolean()).as("me is relative to the caller").isFalse();
        JsonNode listed = api.get("/channels/" + g.general() + "/messages", g.owner().token()).json().get(0).get("reactions");
        assertThat(byEmoji(listed, HEART).get("me").asBoolean()).isTrue();
    }

    private static JsonNode byEmoji(JsonNode reactions, String name) {
        for (JsonNode r : reactions) {
            if (r.at("/emoji/name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no " + name + " in " + reactions);
    }

    @Test
    void listingReactorsPagesByUserId() {
        var g = fx.guild();
        var m = fx.send(g.general(), g.owner(), "poll");
        List<Account> reactors = new ArrayList<>(List.of(g.owner(), g.member()));
        for (int i = 0; i < 3; i++) {
            Account a = api.register("voter");
            fx.join(g.id(), a);
            reactors.add(a);
        }
        for (Account a : reactors) {
            assertThat(api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", a.token(), null).status()).isEqualTo(204);
        }
        List<Long> sorted = reactors.stream().map(Account::id).sorted(Comparator.naturalOrder()).toList();
        var all = api.get(reactions(g.general(), m) + "/" + THUMBS_UP_URL, g.member().token());
        assertThat(all.status()).isEqualTo(200);
        assertThat(MessagingFixture.ids(all.json())).isEqualTo(sorted);
        assertThat(all.json().get(0).has("username")).isTrue();
        var page = api.get(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "?limit=2&after=" + sorted.get(1), g.member().token());
        assertThat(MessagingFixture.ids(page.json())).isEqualTo(sorted.subList(2, 4));
        assertThat(api.get(reactions(g.general(), m) + "/" + enc(HEART), g.member().token()).json()).isEmpty();
        assertThat(api.get(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "?type=1", g.member().token()).json())
                .as("no super reactions here").isEmpty();
        assertError(api.get(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "?limit=101", g.member().token()), 400, 50035);
        assertError(api.get(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "?limit=0", g.member().token()), 400, 50035);
        assertError(api.get(reactions(g.general(), m) + "/abc", g.member().token()), 400, 10014);
    }

    @Test
    void emojisAreCheckedAndCustomOnesAreUnknown() {
        var g = fx.guild();
        var m = fx.send(g.general(), g.owner(), "emoji");
        server.events().clear();
        for (String bad : new String[] {"abc", "thumbsup", "1", "%20", "blob%3A123456789", "blob:123456789", "%C3%A9",
                enc("\uD83D\uDC4D".repeat(17))}) {
            assertError(api.put(reactions(g.general(), m) + "/" + bad + "/@me", g.owner().token(), null), 400, 10014);
        }
        assertThat(server.events().of(DispatchType.MESSAGE_REACTION_ADD)).isEmpty();
        // keycaps have an ASCII base, flags are two regional indicators, families are joined with ZWJ
        for (String good : new String[] {"1\uFE0F\u20E3", "\uD83C\uDDEB\uD83C\uDDF7",
                "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\u2705"}) {
            var r = api.put(reactions(g.general(), m) + "/" + enc(good) + "/@me", g.owner().token(), null);
            assertThat(r.status()).as(good + " " + r).isEqualTo(204);
        }
        assertThat(server.events().of(DispatchType.MESSAGE_REACTION_ADD)).hasSize(4);
    }

    @Test
    void unknownMessagesAndChannels() {
        var g = fx.guild();
        var elsewhere = fx.send(g.voice(), g.owner(), "voice chat");
        String general = "/channels/" + g.general() + "/messages/";
        assertError(api.put(general + "123456789/reactions/" + THUMBS_UP_URL + "/@me", g.owner().token(), null), 404, 10008);
        assertError(api.put(general + elsewhere.get("id").asText() + "/reactions/" + THUMBS_UP_URL + "/@me", g.owner().token(), null),
                404, 10008);
        assertError(api.get(general + "123456789/reactions/" + THUMBS_UP_URL, g.owner().token()), 404, 10008);
        assertError(api.delete(general + "123456789/reactions", g.owner().token()), 404, 10008);
        assertError(api.put("/channels/" + g.category() + "/messages/1/reactions/" + THUMBS_UP_URL + "/@me", g.owner().token(), null),
                400, 50024);
        assertError(api.put("/channels/4242/messages/1/reactions/" + THUMBS_UP_URL + "/@me", g.owner().token(), null), 404, 10003);
        assertThat(server.events().of(DispatchType.MESSAGE_REACTION_ADD)).isEmpty();
    }

    @Test
    void permissionsToReact() {
        var g = fx.guild();
        var m = fx.send(g.general(), g.owner(), "perms");
        assertThat(api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.owner().token(), null).status()).isEqualTo(204);
        fx.revokeFromEveryone(g.id(), Permission.ADD_REACTIONS);
        server.events().clear();
        // without ADD_REACTIONS one may still join an existing reaction, but not start a new one
        assertError(api.put(reactions(g.general(), m) + "/" + enc(HEART) + "/@me", g.member().token(), null), 403, 50013);
        assertThat(api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.member().token(), null).status()).isEqualTo(204);
        assertThat(server.events().of(DispatchType.MESSAGE_REACTION_ADD)).hasSize(1);

        fx.deny(g.general(), g.member().id(), Permission.READ_MESSAGE_HISTORY);
        assertError(api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.member().token(), null), 403, 50013);
        fx.deny(g.general(), g.member().id(), Permission.VIEW_CHANNEL);
        assertError(api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.member().token(), null), 403, 50001);
        assertError(api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", api.register("outsider").token(), null), 403, 50001);
        assertThat(api.get(reactions(g.general(), m) + "/" + THUMBS_UP_URL, g.owner().token()).json()).hasSize(2);
    }

    @Test
    void atMostTwentyDistinctEmojis() {
        var g = fx.guild();
        var m = fx.send(g.general(), g.owner(), "many");
        for (int i = 0; i < 20; i++) {
            String emoji = new String(Character.toChars(0x1F600 + i));
            assertThat(api.put(reactions(g.general(), m) + "/" + enc(emoji) + "/@me", g.owner().token(), null).status()).isEqualTo(204);
        }
        server.events().clear();
        String twentyFirst = new String(Character.toChars(0x1F600 + 20));
        assertError(api.put(reactions(g.general(), m) + "/" + enc(twentyFirst) + "/@me", g.member().token(), null), 400, 30010);
        assertThat(server.events().of(DispatchType.MESSAGE_REACTION_ADD)).isEmpty();
        // joining one of the twenty is still fine
        String first = new String(Character.toChars(0x1F600));
        assertThat(api.put(reactions(g.general(), m) + "/" + enc(first) + "/@me", g.member().token(), null).status()).isEqualTo(204);
        String path = "/channels/" + g.general() + "/messages/" + m.get("id").asText();
        assertThat(api.get(path, g.owner().token()).json().get("reactions")).hasSize(20);
    }

    @Test
    void thirtyDistinctEmojisAtOnceStillStopAtTwenty() throws Exception {
        var g = fx.guild();
        var m = fx.send(g.general(), g.owner(), "raced");
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(30)) {
            for (int i = 0; i < 30; i++) {
                String emoji = new String(Character.toChars(0x1F600 + i));
                answers.add(pool.submit(() -> {
                    go.await();
                    return api.put(reactions(g.general(), m) + "/" + enc(emoji) + "/@me", g.owner().token(), null).status();
                }));
            }
            go.countDown();
            int added = 0;
            for (var a : answers) {
                added += a.get() == 204 ? 1 : 0;
            }
            assertThat(added).as("the check and the insert are one step per guild").isEqualTo(20);
        }
        String path = "/channels/" + g.general() + "/messages/" + m.get("id").asText();
        assertThat(api.get(path, g.owner().token()).json().get("reactions")).hasSize(20);
    }

    @Test
    void removingOwnAndOthersReactions() {
        var g = fx.guild();
        Account third = api.register("third");
        fx.join(g.id(), third);
        var m = fx.send(g.general(), g.owner(), "remove");
        for (Account a : List.of(g.owner(), g.member(), third)) {
            api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", a.token(), null);
        }
        server.events().clear();

        assertThat(api.delete(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.member().token()).status()).isEqualTo(204);
        GatewayEvent own = fx.only(DispatchType.MESSAGE_REACTION_REMOVE);
        assertThat(own.guildId()).isEqualTo(g.id());
        JsonNode d = data(own);
        assertThat(d.get("user_id").asLong()).isEqualTo(g.member().id());
        assertThat(d.get("message_id").asText()).isEqualTo(m.get("id").asText());
        assertThat(d.get("guild_id").asLong()).isEqualTo(g.id());
        assertThat(d.at("/emoji/name").asText()).isEqualTo(THUMBS_UP);
        assertThat(d.has("member")).isFalse();
        // removing it again is a no-op
        assertThat(api.delete(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.member().token()).status()).isEqualTo(204);
        assertThat(server.events().of(DispatchType.MESSAGE_REACTION_REMOVE)).hasSize(1);

        assertError(api.delete(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/" + third.id(), g.member().token()), 403, 50013);
        assertThat(api.delete(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/" + third.id(), g.owner().token()).status())
                .isEqualTo(204);
        assertThat(data(server.events().of(DispatchType.MESSAGE_REACTION_REMOVE).getLast()).get("user_id").asLong())
                .isEqualTo(third.id());
        // one's own id in the user route needs no MANAGE_MESSAGES
        api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.member().token(), null);
        assertThat(api.delete(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/" + g.member().id(), g.member().token()).status())
                .isEqualTo(204);
        assertThat(MessagingFixture.ids(api.get(reactions(g.general(), m) + "/" + THUMBS_UP_URL, g.owner().token()).json()))
                .containsExactly(g.owner().id());
    }

    @Test
    void removingAllAndByEmojiNeedsManageMessages() {
        var g = fx.guild();
        var m = fx.send(g.general(), g.member(), "clear");
        for (String emoji : List.of(THUMBS_UP_URL, enc(HEART))) {
            api.put(reactions(g.general(), m) + "/" + emoji + "/@me", g.member().token(), null);
            api.put(reactions(g.general(), m) + "/" + emoji + "/@me", g.owner().token(), null);
        }
        server.events().clear();
        assertError(api.delete(reactions(g.general(), m) + "/" + THUMBS_UP_URL, g.member().token()), 403, 50013);
        assertError(api.delete(reactions(g.general(), m), g.member().token()), 403, 50013);
        assertError(api.delete(reactions(g.general(), m) + "/nope", g.owner().token()), 400, 10014);

        assertThat(api.delete(reactions(g.general(), m) + "/" + THUMBS_UP_URL, g.owner().token()).status()).isEqualTo(204);
        JsonNode byEmoji = data(fx.only(DispatchType.MESSAGE_REACTION_REMOVE_EMOJI));
        assertThat(byEmoji.get("channel_id").asLong()).isEqualTo(g.general());
        assertThat(byEmoji.get("guild_id").asLong()).isEqualTo(g.id());
        assertThat(byEmoji.get("message_id").asText()).isEqualTo(m.get("id").asText());
        assertThat(byEmoji.at("/emoji/name").asText()).isEqualTo(THUMBS_UP);
        String path = "/channels/" + g.general() + "/messages/" + m.get("id").asText();
        assertThat(api.get(path, g.owner().token()).json().get("reactions")).hasSize(1);

        assertThat(api.delete(reactions(g.general(), m), g.owner().token()).status()).isEqualTo(204);
        GatewayEvent all = fx.only(DispatchType.MESSAGE_REACTION_REMOVE_ALL);
        assertThat(all.guildId()).isEqualTo(g.id());
        JsonNode d = data(all);
        assertThat(d.get("channel_id").asLong()).isEqualTo(g.general());
        assertThat(d.get("message_id").asText()).isEqualTo(m.get("id").asText());
        assertThat(d.get("guild_id").asLong()).isEqualTo(g.id());
        assertThat(api.get(path, g.owner().token()).json().has("reactions")).isFalse();
        // nothing left to remove: no event
        assertThat(api.delete(reactions(g.general(), m), g.owner().token()).status()).isEqualTo(204);
        assertThat(server.events().of(DispatchType.MESSAGE_REACTION_REMOVE_ALL)).hasSize(1);
    }

    @Test
    void reactionsInDirectMessages() {
        Account a = api.register("dm_a");
        Account b = api.register("dm_b");
        long dm = fx.dm(a, b);
        var m = fx.send(dm, a, "dm");
        server.events().clear();
        assertThat(api.put(reactions(dm, m) + "/" + THUMBS_UP_URL + "/@me", b.token(), null).status()).isEqualTo(204);
        GatewayEvent e = fx.onlyForEach(DispatchType.MESSAGE_REACTION_ADD, a.id(), b.id());
        JsonNode d = data(e);
        assertThat(d.has("guild_id")).isFalse();
        assertThat(d.has("member")).isFalse();
        assertThat(d.get("message_author_id").asLong()).isEqualTo(a.id());

        assertError(api.delete(reactions(dm, m) + "/" + THUMBS_UP_URL + "/" + b.id(), a.token()), 403, 50003);
        assertError(api.delete(reactions(dm, m), a.token()), 403, 50003);
        assertThat(api.delete(reactions(dm, m) + "/" + THUMBS_UP_URL + "/@me", b.token()).status()).isEqualTo(204);
        fx.onlyForEach(DispatchType.MESSAGE_REACTION_REMOVE, a.id(), b.id());
    }

    @Test
    void deletingAMessageTakesItsReactions() {
        var g = fx.guild();
        var m = fx.send(g.general(), g.owner(), "gone soon");
        api.put(reactions(g.general(), m) + "/" + THUMBS_UP_URL + "/@me", g.member().token(), null);
        assertThat(api.delete("/channels/" + g.general() + "/messages/" + m.get("id").asText(), g.owner().token()).status()).isEqualTo(204);
        assertError(api.get(reactions(g.general(), m) + "/" + THUMBS_UP_URL, g.owner().token()), 404, 10008);
        int left = fx.store().read(tx -> tx.reactions().countEmojis(m.get("id").asLong()));
        assertThat(left).isZero();
    }
}
