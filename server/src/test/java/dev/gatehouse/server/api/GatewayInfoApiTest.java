package dev.gatehouse.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GatewayInfoApiTest {

    static final ManualClock clock = new ManualClock();
    static TestServer server;
    static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withRateLimits(false), clock);
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void gatewayIsOpenAndNamesTheWebSocket() {
        for (String version : new String[] {"v10", "v9", "v1"}) {
            var r = api.version(version).get("/gateway", null);
            assertThat(r.status()).as(version).isEqualTo(200);
            assertThat(r.json().size()).isEqualTo(1);
            assertThat(r.json().get("url").asText()).isEqualTo("ws://127.0.0.1:" + server.server().port() + "/gateway");
        }
        Account person = api.register("gw");
        assertThat(api.get("/gateway", person.token()).status()).isEqualTo(200);
    }

    @Test
    void gatewayBotReportsTheRealSessionStartBudget() {
        Account owner = api.register("gwowner");
        Account bot = api.createBot(owner, "Shardy");

        var fresh = api.get("/gateway/bot", bot.token());
        assertThat(fresh.status()).isEqualTo(200);
        JsonNode body = fresh.json();
        assertThat(body.get("url").asText()).isEqualTo("ws://127.0.0.1:" + server.server().port() + "/gateway");
        assertThat(body.get("shards").isInt()).isTrue();
        assertThat(body.get("shards").asInt()).isEqualTo(1);
        JsonNode limit = body.get("session_start_limit");
        assertThat(limit.get("total").isInt()).isTrue();
        assertThat(limit.get("remaining").isInt()).isTrue();
        assertThat(limit.get("reset_after").isInt()).as("a number, not a string").isTrue();
        assertThat(limit.get("max_concurrency").isInt()).isTrue();
        assertThat(limit.get("total").asInt()).isEqualTo(1000);
        assertThat(limit.get("remaining").asInt()).isEqualTo(1000);
        assertThat(limit.get("reset_after").asLong()).isEqualTo(86_400_000L);
        assertThat(limit.get("max_concurrency").asInt()).isEqualTo(1);

        var starts = server.server().platform().sessionStarts();
        assertThat(starts.tryStart(bot.id())).isTrue();
        assertThat(starts.tryStart(bot.id())).isTrue();
        clock.advance(5_000);
        JsonNode after = api.get("/gateway/bot", bot.token()).json().get("session_start_limit");
        assertThat(after.get("remaining").asInt()).isEqualTo(998);
        assertThat(after.get("reset_after").asLong()).isLessThan(86_400_000L).isEqualTo(86_395_000L);
        assertThat(after.get("total").asInt()).isEqualTo(1000);

        // another bot's budget is its own
        Account other = api.createBot(owner, "Other");
        assertThat(api.get("/gateway/bot", other.token()).json().at("/session_start_limit/remaining").asInt()).isEqualTo(1000);
    }

    @Test
    void gatewayBotIsForBotsOnly() {
        Account person = api.register("notabot");
        var r = api.get("/gateway/bot", person.token());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("code").asInt()).isEqualTo(40001);
        assertThat(r.json().get("message").asText()).isEqualTo("401: Unauthorized");
        assertThat(api.version("v1").get("/gateway/bot", person.token()).json().get("code").asText()).isEqualTo("UNAUTHORIZED");

        var none = api.get("/gateway/bot", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("code").asInt()).isEqualTo(40001);
        var forged = api.get("/gateway/bot", "Bot " + person.token() + "x");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().get("code").asInt()).isEqualTo(50014);
    }

    @Test
    void shardsGrowWithTheGuildsTheBotIsIn() {
        try (TestServer small = TestServer.start(c -> c.withRateLimits(false).withLimits(new PlatformLimits(100, 1000, 1, 2500, 2)))) {
            ApiClient client = small.api();
            Account owner = client.register("shardowner");
            Account bot = client.createBot(owner, "Growing");
            assertThat(client.get("/gateway/bot", bot.token()).json().get("shards").asInt()).isEqualTo(1);

            int[] expected = {1, 1, 2, 2, 3};
            for (int i = 0; i < expected.length; i++) {
                long guildId = client.createGuild(owner, "guild " + i).get("id").asLong();
                small.server().platform().members().join(guildId, bot.id(), Set.of());
                var r = client.get("/gateway/bot", bot.token());
                assertThat(r.json().get("shards").asInt()).as("%d guilds", i + 1).isEqualTo(expected[i]);
            }
            // guilds the owner is in do not count for the bot
            client.createGuild(owner, "owner only");
            assertThat(client.get("/gateway/bot", bot.token()).json().get("shards").asInt()).isEqualTo(3);
        }
    }
}
