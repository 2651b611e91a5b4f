package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Identify, READY, GUILD_CREATE, dispatches and the close codes, over real sockets. */
class GatewayLifecycleTest extends WorldPerClass {

    @ParameterizedTest
    @ValueSource(strings = {"v=10&encoding=json", "v=9", "v=1"})
    void identifyGetsReadyThenGuildCreateThenLiveDispatches(String query) {
        Account member = world.member("life");
        try (GatewayTestClient c = world.connect(query)) {
            JsonNode hello = c.next(WAIT);
            assertThat(hello.get("op").intValue()).isEqualTo(10);
            assertThat(hello.at("/d/heartbeat_interval").longValue()).isEqualTo(41_250);
            c.identify(member.token(), GatewayWorld.ALL_UNPRIVILEGED | GatewayWorld.MESSAGE_CONTENT);
            JsonNode ready = c.next(WAIT);
            assertThat(ready.get("t").asText()).isEqualTo("READY");
            assertThat(ready.get("s").longValue()).isEqualTo(1);
            assertThat(ready.at("/d/user/id").asText()).isEqualTo(Long.toString(member.id()));
            assertThat(ready.at("/d/session_id").asText()).hasSize(32);
            assertThat(ready.at("/d/resume_gateway_url").asText()).startsWith("ws://");
            assertThat(ready.at("/d/guilds/0/id").asText()).isEqualTo(Long.toString(world.guildId));
            assertThat(ready.at("/d/guilds/0/unavailable").booleanValue()).isTrue();
            JsonNode guild = c.next(WAIT);
            assertThat(guild.get("t").asText()).isEqualTo("GUILD_CREATE");
            assertThat(guild.get("s").longValue()).isEqualTo(2);
            assertThat(guild.at("/d/id").asText()).isEqualTo(Long.toString(world.guildId));
            assertThat(guild.at("/d/channels").size()).isPositive();
            assertThat(guild.at("/d/members").size()).isPositive();
            JsonNode posted = world.post(world.owner, world.channelId, "hello gateway");
            JsonNode message = c.nextDispatch("MESSAGE_CREATE", WAIT);
            assertThat(message.get("s").longValue()).isGreaterThan(2);
            assertThat(message.at("/d/id").asText()).isEqualTo(posted.get("id").asText());
            assertThat(message.at("/d/content").asText()).isEqualTo("hello gateway");
            assertThat(message.at("/d/guild_id").asText()).isEqualTo(Long.toString(world.guildId));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v=8", "v=2", "v=abc", "v=11&encoding=json"})
    void unservedVersionsClose4012(String query) {
        try (GatewayTestClient c = world.connect(query)) {
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4012);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=10&encoding=xml", "v=10&compress=lz4", "v=1&encoding=msgpack"})
    void unservedEncodingsAndCompressionClose4002(String query) {
        try (GatewayTestClient c = world.connect(query)) {
            var close = c.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4002);
            assertThat(close.reason()).isNotBlank();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=10", "v=1"})
    void badTokensClose4004(String query) {
        try (GatewayTestClient c = world.connect(query)) {
            c.next(WAIT);
            c.identify("not-a-token", 1);
            var close = c.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4004);
            assertThat(close.reason()).isEqualTo("Authentication failed");
        }
    }

    /** Oceanic.js and others append {@code /?v=10...} to the announced URL. */
    @Test
    void theGatewayPathMayEndWithASlash() {
        Account member = world.member("slash");
        try (GatewayTestClient c = GatewayTestClient.connectTo(URI.create(world.ws() + "/gateway/?v=10&encoding=json"))) {
            assertThat(c.next(WAIT).get("op").intValue()).isEqualTo(10);
            c.identify(member.token(), GatewayWorld.ALL_UNPRIVILEGED);
            assertThat(c.nextDispatch("READY", WAIT)).isNotNull();
        }
    }

    @Test
    void revokedTokensClose4004() {
        Account bot = world.bot("revoked", 0);
        world.api.post("/applications/" + bot.id() + "/bot/reset", world.owner.token(), null);
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.identify(bot.token(), 1);
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4004);
        }
    }

    @Test
    void sessionOpcodesBeforeIdentifyClose4003() {
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.send(Map.of("op", 8, "d", Map.of("guild_id", "1", "query", "", "limit", 0)));
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4003);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=10", "v=1"})
    void unknownOpcodesClose4001(String query) {
        try (GatewayTestClient c = world.connect(query)) {
            c.next(WAIT);
            c.sendRaw("{\"op\":13,\"d\":null}");
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4001);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=10", "v=1"})
    void oversizedAndMalformedFramesClose4002(String query) {
        try (GatewayTestClient c = world.connect(query)) {
            c.next(WAIT);
            c.sendRaw("{\"op\":1,\"d\":null,\"x\":\"" + "a".repeat(5000) + "\"}");
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4002);
        }
        try (GatewayTestClient c = world.connect(query)) {
            c.next(WAIT);
            c.sendRaw("{not json");
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4002);
        }
        try (GatewayTestClient c = world.connect(query)) {
            c.next(WAIT);
            // beyond what the WebSocket layer takes at all: still the protocol's answer, not the transport's 1009
            c.sendRaw("{\"op\":1,\"d\":null,\"x\":\"" + "a".repeat(200_000) + "\"}");
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4002);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=10", "v=1"})
    void secondIdentifyCloses4005(String query) {
        Account member = world.member("twice");
        try (GatewayTestClient c = world.identified(member, query, 1)) {
            c.identify(member.token(), 1);
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4005);
        }
    }

    @Test
    void invalidShardsClose4010() {
        Account member = world.member("shard");
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.send(Map.of("op", 2, "d", Map.of("token", member.token(), "intents", 1, "shard", new int[] {3, 2})));
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4010);
        }
    }

    @Test
    void discordIntentsAreChecked() {
        Account member = world.member("intents");
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.send(Map.of("op", 2, "d", Map.of("token", member.token())));
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4013);
        }
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.identify(member.token(), 1L << 40);
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4013);
        }
    }

    @Test
    void privilegedIntentsNeedTheApplicationFlag() {
        Account bot = world.bot("priv", 0);
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.identify(bot.token(), 1 | GatewayWorld.GUILD_MEMBERS);
            var close = c.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4014);
        }
        Account allowed = world.bot("allowed", Application.GATEWAY_GUILD_MEMBERS_LIMITED);
        try (GatewayTestClient c = world.identified(allowed, "v=10", 1 | GatewayWorld.GUILD_MEMBERS)) {
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void fluxerHasNoIntentsToCheck() {
        Account bot = world.bot("fluxbot", 0);
        try (GatewayTestClient c = world.identified(bot, "v=1", 1 | GatewayWorld.GUILD_MEMBERS)) {
            assertThat(c.isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=10", "v=1"})
    void clientFramesOver120PerMinuteClose4008(String query) {
        Account member = world.member("flood");
        try (GatewayTestClient c = world.identified(member, query, 1)) {
            for (int i = 0; i < 125; i++) {
                c.heartbeat(null);
            }
            var close = c.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4008);
        }
    }

    @Test
    void heartbeatsAreAcknowledged() {
        Account member = world.member("beat");
        try (GatewayTestClient c = world.identified(member, "v=10", 1)) {
            c.heartbeat(1L);
            JsonNode ack;
            do {
                ack = c.next(WAIT);
            } while (ack.get("op").intValue() == 0);
            assertThat(ack.get("op").intValue()).isEqualTo(11);
        }
    }

    @Test
    void shardingIsRequiredBeyondTheGuildsPerShardLimit() {
        try (GatewayWorld small = GatewayWorld.start(c -> c.withLimits(new PlatformLimits(100, 1000, 1, 1, 1)))) {
            Account bot = small.bot("big", 0);
            long second = small.api.createGuild(small.owner, "Second").get("id").asLong();
            small.api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", small.owner.token(),
                    Map.of("guild_id", Long.toString(second), "permissions", "0", "authorize", true));
            try (GatewayTestClient c = small.connect("v=10")) {
                c.next(WAIT);
                c.identify(bot.token(), 1);
                assertThat(c.awaitClose(WAIT).code()).isEqualTo(4011);
            }
        }
    }

    @Test
    void identifyConcurrencyIsOnePerFiveSecondsPerBucket() {
        Account member = world.member("concurrent");
        try (GatewayTestClient first = world.identified(member, "v=10", 1);
                GatewayTestClient second = world.connect("v=10")) {
            second.next(WAIT);
            second.identify(member.token(), 1);
            JsonNode invalid = second.next(WAIT);
            assertThat(invalid.get("op").intValue()).isEqualTo(9);
            assertThat(invalid.get("d").booleanValue()).isFalse();
            assertThat(second.isOpen()).as("the client may identify again later").isTrue();
            assertThat(first.isOpen()).isTrue();
        }
    }

    @Test
    void theDailySessionStartLimitAnswersInvalidSession() {
        try (GatewayWorld small = GatewayWorld.start(c -> c.withLimits(new PlatformLimits(100, 1, 2, 2500, 1000)))) {
            Account member = small.member("once");
            try (GatewayTestClient first = small.connect("v=10"); GatewayTestClient second = small.connect("v=10")) {
                first.next(WAIT);
                first.send(Map.of("op", 2, "d", Map.of("token", member.token(), "intents", 1, "shard", new int[] {0, 2})));
                assertThat(first.nextDispatch("READY", WAIT)).isNotNull();
                second.next(WAIT);
                // another rate-limit bucket (shard 1 % max_concurrency 2), so only the daily budget says no
                second.send(Map.of("op", 2, "d", Map.of("token", member.token(), "intents", 1, "shard", new int[] {1, 2})));
                JsonNode invalid = second.next(WAIT);
                assertThat(invalid.get("op").intValue()).isEqualTo(9);
                assertThat(invalid.get("d").booleanValue()).isFalse();
            }
            var budget = small.api.get("/gateway/bot", member.token()).json();
            assertThat(budget.at("/session_start_limit/remaining").intValue()).isZero();
        }
    }

    @Test
    void fluxerClosesAnUnacknowledgingClient4013AndDiscordDropsTheOldest() {
        GatewayConfig small = GatewayConfig.defaults().withReplayLimits(8, 1 << 20);
        try (GatewayWorld tight = GatewayWorld.start(c -> c.withGateway(small))) {
            Account flux = tight.member("unacked");
            Account disc = tight.member("dropper");
            try (GatewayTestClient f = tight.identified(flux, "v=1", 1 | (1 << 9));
                    GatewayTestClient d = tight.identified(disc, "v=10", 1 | (1 << 9))) {
                for (int i = 0; i < 10; i++) {
                    tight.post(tight.owner, tight.channelId, "unacked " + i);
                }
                var close = f.awaitClose(WAIT);
                assertThat(close.code()).isEqualTo(4013);
                assertThat(close.reason()).startsWith("Acknowledgement backlog exceeded: kind=events unacked=9 limit=8");
                for (int i = 0; i < 10; i++) {
                    assertThat(d.nextDispatch("MESSAGE_CREATE", WAIT).at("/d/content").asText()).isEqualTo("unacked " + i);
                }
                assertThat(d.isOpen()).as("discord keeps the session and drops the oldest instead").isTrue();
            }
        }
    }

    @Test
    void aPlainGetOfTheGatewayPathSaysWhereToConnect() {
        var r = world.api.raw("GET", "/gateway", null, null, Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("url").asText()).isEqualTo(world.ws() + "/gateway");
    }
}
