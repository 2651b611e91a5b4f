package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who receives what: intents, MESSAGE_CONTENT, VIEW_CHANNEL, shards, ignored_events, joins. Each
 * test ends with a marker message every client must see, so "did not receive X" is checked
 * against a dispatch that came after X, not against a timeout.
 */
class GatewayFanoutTest extends WorldPerClass {

    static final long GUILDS = 1;
    static final long GUILD_MESSAGES = 1 << 9;
    static final long DIRECT_MESSAGES = 1 << 12;
    /** One identify per bot and rate-limit bucket in this long (docs/PROTOCOL.md §4.3). */
    static final Duration IDENTIFY_WINDOW = Duration.ofSeconds(5);

    /** Message contents of MESSAGE_CREATE dispatches in channel order up to and including the marker. */
    static List<String> contentsUntil(GatewayTestClient c, String markerId) {
        List<String> contents = new java.util.ArrayList<>();
        while (true) {
            JsonNode m = c.nextDispatch("MESSAGE_CREATE", WAIT);
            if (m.at("/d/id").asText().equals(markerId)) {
                return contents;
            }
            contents.add(m.at("/d/content").asText());
        }
    }

    @Test
    void messagesNeedTheGuildMessagesIntent() {
        Account with = world.member("with");
        Account without = world.member("without");
        try (GatewayTestClient a = world.identified(with, "v=10", GUILDS | GUILD_MESSAGES);
                GatewayTestClient b = world.identified(without, "v=10", GUILDS)) {
            world.post(world.owner, world.channelId, "for intents");
            assertThat(a.nextDispatch("MESSAGE_CREATE", WAIT).at("/d/content").asText()).isEqualTo("for intents");
            // b has no GUILD_MESSAGES: a typing event it does not want either, then a guild update it does
            var patched = world.api.patch("/guilds/" + world.guildId, world.owner.token(), Map.of("name", "World 2"));
            assertThat(patched.status()).isEqualTo(200);
            JsonNode next = b.nextDispatchOf(List.of("MESSAGE_CREATE", "GUILD_UPDATE"), WAIT);
            assertThat(next.get("t").asText()).isEqualTo("GUILD_UPDATE");
        }
    }

    @Test
    void botsWithoutMessageContentGetEmptyContentUnlessMentioned() {
        Account plain = world.bot("plain", 0);
        Account reader = world.bot("reader", Application.GATEWAY_MESSAGE_CONTENT);
        try (GatewayTestClient p = world.identified(plain, "v=10", GUILDS | GUILD_MESSAGES);
                GatewayTestClient r = world.identified(reader, "v=10", GUILDS | GUILD_MESSAGES | GatewayWorld.MESSAGE_CONTENT)) {
            world.post(world.owner, world.channelId, "secret words");
            world.post(world.owner, world.channelId, "hey <@" + plain.id() + ">");
            String marker = world.post(world.owner, world.channelId, "marker").get("id").asText();
            assertThat(contentsUntil(p, marker)).containsExactly("", "hey <@" + plain.id() + ">");
            assertThat(contentsUntil(r, marker)).containsExactly("secret words", "hey <@" + plain.id() + ">");
        }
    }

    @Test
    void hiddenChannelsAreNotFannedOutToThoseWhoCannotSeeThem() {
        Account insider = world.member("insider");
        Account outsider = world.member("outsider");
        var created = world.api.post("/guilds/" + world.guildId + "/channels", world.owner.token(), Map.of("name", "secret",
                "type", 0, "permission_overwrites", List.of(
                        Map.of("id", Long.toString(world.guildId), "type", 0, "allow", "0", "deny", Long.toString(1L << 10)),
                        Map.of("id", Long.toString(insider.id()), "type", 1, "allow", Long.toString(1L << 10), "deny", "0"))));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long secret = created.json().get("id").asLong();
        try (GatewayTestClient in = world.identified(insider, "v=10", GUILDS | GUILD_MESSAGES | GatewayWorld.MESSAGE_CONTENT);
                GatewayTestClient out = world.identified(outsider, "v=1", 0)) {
            world.post(world.owner, secret, "for insiders");
            String marker = world.post(world.owner, world.channelId, "marker").get("id").asText();
            assertThat(contentsUntil(in, marker)).containsExactly("for insiders");
            assertThat(contentsUntil(out, marker)).isEmpty();
        }
    }

    @Test
    void fluxerIgnoredEventsAreNotSent() {
        Account member = world.member("ignorer");
        try (GatewayTestClient c = world.connect("v=1")) {
            c.next(WAIT);
            c.send(Map.of("op", 2, "d", Map.of("token", member.token(), "ignored_events", List.of("TYPING_START"))));
            c.nextDispatch("READY", WAIT);
            world.api.post("/channels/" + world.channelId + "/typing", world.owner.token(), null);
            String marker = world.post(world.owner, world.channelId, "marker").get("id").asText();
            JsonNode next = c.nextDispatchOf(List.of("TYPING_START", "MESSAGE_CREATE"), WAIT);
            assertThat(next.get("t").asText()).isEqualTo("MESSAGE_CREATE");
            assertThat(next.at("/d/id").asText()).isEqualTo(marker);
        }
    }

    @Test
    void guildEventsGoToTheShardOfTheGuildOnly() {
        Account bot = world.bot("sharded", Application.GATEWAY_MESSAGE_CONTENT);
        int shardOfGuild = (int) ((world.guildId >>> 22) % 2);
        try (GatewayTestClient mine = world.connect("v=10"); GatewayTestClient other = world.connect("v=10")) {
            mine.next(WAIT);
            other.next(WAIT);
            long intents = GUILDS | GUILD_MESSAGES | GatewayWorld.MESSAGE_CONTENT | DIRECT_MESSAGES;
            mine.send(Map.of("op", 2, "d", Map.of("token", bot.token(), "intents", (int) intents, "shard", new int[] {shardOfGuild, 2})));
            assertThat(mine.nextDispatch("READY", WAIT).at("/d/guilds").size()).isEqualTo(1);
            // identify concurrency is one per 5 s per bucket; max_concurrency 1 puts both shards in one bucket,
            // so the second shard is refused until the server's clock is past the first one's window
            other.send(Map.of("op", 2, "d", Map.of("token", bot.token(), "intents", (int) intents, "shard", new int[] {1 - shardOfGuild, 2})));
            JsonNode answer = other.next(WAIT);
            if (answer.get("op").intValue() == 9) {
                clock.advance(IDENTIFY_WINDOW);
                other.send(Map.of("op", 2, "d", Map.of("token", bot.token(), "intents", (int) intents, "shard", new int[] {1 - shardOfGuild, 2})));
                answer = other.nextDispatch("READY", WAIT);
            }
            assertThat(answer.at("/d/guilds").size()).as("the other shard has none of the guilds").isZero();
            world.post(world.owner, world.channelId, "sharded message");
            assertThat(mine.nextDispatch("MESSAGE_CREATE", WAIT).at("/d/content").asText()).isEqualTo("sharded message");
            // a DM reaches shard 0 only
            long dm = world.api.post("/users/@me/channels", world.owner.token(), Map.of("recipient_id", Long.toString(bot.id())))
                    .json().get("id").asLong();
            world.post(world.owner, dm, "direct");
            GatewayTestClient shardZero = shardOfGuild == 0 ? mine : other;
            GatewayTestClient shardOne = shardOfGuild == 0 ? other : mine;
            assertThat(shardZero.nextDispatch("MESSAGE_CREATE", WAIT).at("/d/content").asText()).isEqualTo("direct");
            assertThat(shardOne.nextDispatchOf(List.of("MESSAGE_CREATE"), Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void joiningAGuildStartsItsEventsWithGuildCreate() {
        Account newcomer = world.api.register("newcomer");
        try (GatewayTestClient c = world.identified(newcomer, "v=10", GUILDS | GUILD_MESSAGES | GatewayWorld.MESSAGE_CONTENT)) {
            world.join(newcomer, world.guildId);
            JsonNode created = c.nextDispatch("GUILD_CREATE", WAIT);
            assertThat(created.at("/d/id").asText()).isEqualTo(Long.toString(world.guildId));
            world.post(world.owner, world.channelId, "welcome");
            assertThat(c.nextDispatch("MESSAGE_CREATE", WAIT).at("/d/content").asText()).isEqualTo("welcome");
            var left = world.api.delete("/users/@me/guilds/" + world.guildId, newcomer.token());
            assertThat(left.status()).isEqualTo(204);
            assertThat(c.nextDispatch("GUILD_DELETE", WAIT).at("/d/id").asText()).isEqualTo(Long.toString(world.guildId));
            world.post(world.owner, world.channelId, "gone");
            assertThat(c.nextDispatchOf(List.of("MESSAGE_CREATE"), Duration.ofMillis(500))).isNull();
        }
    }
}
