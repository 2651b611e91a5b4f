package dev.gatehouse.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP rate limits as GatehouseServer wires them (Discord's numbers), over real HTTP. The
 * server's clock only moves when a test moves it, so windows are exact and nothing sleeps.
 */
class RateLimitsApiTest {

    static final ManualClock clock = new ManualClock();
    static TestServer server;
    static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withRateLimits(true), clock);
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshWindows() {
        // every window a previous test opened (the longest is 30 minutes) has closed
        clock.advance(3_600_000);
    }

    /** Registration is limited to 5 a minute per IP: let a minute pass before each. */
    static Account register(String prefix) {
        clock.advance(60_000);
        return api.register(prefix);
    }

    static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }

    @Test
    void overARouteLimitIs429WithDiscordsHeadersAndBody() {
        Account a = register("limited");
        server.events().clear();
        long now = clock.millis();

        var first = api.patch("/users/@me", a.token(), Map.of("global_name", "One"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("x-ratelimit-limit")).isEqualTo("2");
        assertThat(first.header("x-ratelimit-remaining")).isEqualTo("1");
        assertThat(first.header("x-ratelimit-reset")).isEqualTo(seconds(now + 1_800_000));
        assertThat(first.header("x-ratelimit-reset-after")).isEqualTo("1800.000");
        String bucket = first.header("x-ratelimit-bucket");
        assertThat(bucket).matches("[0-9a-f]{32}");

        clock.advance(250);
        var second = api.patch("/users/@me", a.token(), Map.of("global_name", "Two"));
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("x-ratelimit-remaining")).isEqualTo("0");
        assertThat(second.header("x-ratelimit-reset-after")).isEqualTo("1799.750");
        assertThat(second.header("x-ratelimit-bucket")).isEqualTo(bucket);

        var third = api.patch("/users/@me", a.token(), Map.of("global_name", "Three"));
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.json().toString())
                .isEqualTo("{\"message\":\"You are being rate limited.\",\"retry_after\":1799.75,\"global\":false,\"code\":0}");
        assertThat(third.header("retry-after")).isEqualTo("1800");
        assertThat(third.header("x-ratelimit-scope")).isEqualTo("user");
        assertThat(third.header("x-ratelimit-global")).isNull();
        assertThat(third.header("x-ratelimit-bucket")).isEqualTo(bucket);
        assertThat(third.header("x-ratelimit-remaining")).isEqualTo("0");

        // the refused request wrote nothing and published nothing
        assertThat(api.get("/users/@me", a.token()).json().get("global_name").asText()).isEqualTo("Two");
        assertThat(server.events().of(DispatchType.USER_UPDATE)).hasSize(2);

        // other routes of the same user are not affected
        assertThat(api.get("/users/@me/guilds", a.token()).status()).isEqualTo(200);

        clock.advance(1_799_750);
        var later = api.patch("/users/@me", a.token(), Map.of("global_name", "Four"));
        assertThat(later.status()).isEqualTo(200);
        assertThat(later.header("x-ratelimit-remaining")).isEqualTo("1");
    }

    @Test
    void fluxerDialectNamesTheCode() {
        Account a = register("fluxlimited");
        ApiClient v1 = api.version("v1");
        v1.patch("/users/@me", a.token(), Map.of("global_name", "A"));
        v1.patch("/users/@me", a.token(), Map.of("global_name", "B"));
        var r = v1.patch("/users/@me", a.token(), Map.of("global_name", "C"));
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.json().get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(r.json().get("global").asBoolean()).isFalse();
        assertThat(r.json().get("retry_after").asDouble()).isEqualTo(1800.0);
    }

    @Test
    void bucketsAreSplitByGuildAndByCaller() {
        Account owner = register("bucketowner");
        Account other = register("bucketother");
        long g1 = api.createGuild(owner, "First").get("id").asLong();
        long g2 = api.createGuild(owner, "Second").get("id").asLong();

        ApiClient.Response last = null;
        for (int i = 0; i < 3; i++) {
            last = api.get("/guilds/" + g1, owner.token());
            assertThat(last.status()).isEqualTo(200);
        }
        assertThat(last.header("x-ratelimit-limit")).isEqualTo("50");
        assertThat(last.header("x-ratelimit-remaining")).isEqualTo("47");
        assertThat(last.header("x-ratelimit-reset-after")).isEqualTo("1.000");

        var second = api.get("/guilds/" + g2, owner.token());
        assertThat(second.header("x-ratelimit-remaining")).as("another guild, another bucket").isEqualTo("49");
        assertThat(second.header("x-ratelimit-bucket")).as("same route, same bucket id").isEqualTo(last.header("x-ratelimit-bucket"));

        var stranger = api.get("/guilds/" + g1, other.token());
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.header("x-ratelimit-remaining")).as("another caller, another bucket").isEqualTo("49");
        assertThat(stranger.header("x-ratelimit-bucket")).isEqualTo(last.header("x-ratelimit-bucket"));
    }

    @Test
    void globalLimitIs50PerSecondAcrossRoutes() {
        Account busy = register("busy");
        Account calm = register("calm");
        for (int i = 0; i < 25; i++) {
            assertThat(api.get("/users/@me", busy.token()).status()).isEqualTo(200);
            assertThat(api.get("/users/@me/guilds", busy.token()).status()).isEqualTo(200);
        }
        clock.advance(300);
        var refused = api.get("/users/@me/guilds", busy.token());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().toString())
                .isEqualTo("{\"message\":\"You are being rate limited.\",\"retry_after\":0.7,\"global\":true,\"code\":0}");
        assertThat(refused.header("x-ratelimit-global")).isEqualTo("true");
        assertThat(refused.header("x-ratelimit-scope")).isEqualTo("global");
        assertThat(refused.header("retry-after")).isEqualTo("1");

        assertThat(api.get("/users/@me", calm.token()).status()).as("other users are not affected").isEqualTo(200);
        clock.advance(700);
        assertThat(api.get("/users/@me/guilds", busy.token()).status()).isEqualTo(200);
    }

    @Test
    void globalLimitCountsUnauthenticatedRequestsPerIp() {
        for (int i = 0; i < 50; i++) {
            assertThat(api.get("/gateway", null).status()).isEqualTo(200);
        }
        var refused = api.get("/gateway", null);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("global").asBoolean()).isTrue();
        assertThat(refused.header("x-ratelimit-scope")).isEqualTo("global");
    }

    @Test
    void loginAndRegisterShareOneBudgetPerIp() {
        Account a = register("loginner");
        for (int i = 0; i < 4; i++) {
            assertThat(api.post("/auth/login", null, Map.of("login", a.username(), "password", "password-" + a.username())).status())
                    .isEqualTo(200);
        }
        // register + 4 logins = the 5 a minute of the shared "auth" bucket
        var refused = api.post("/auth/register", null, Map.of("username", "one_too_many", "password", "password-one-too-many"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("retry_after").asDouble()).isEqualTo(60.0);
        clock.advance(60_000);
        assertThat(api.post("/auth/register", null, Map.of("username", "one_too_many", "password", "password-one-too-many")).status())
                .as("the refused registration did not take the name").isEqualTo(201);
    }

    @Test
    void tenThousandInvalidRequestsBlockTheIp() throws Exception {
        ManualClock ownClock = new ManualClock();
        try (TestServer blocking = TestServer.start(c -> c.withRateLimits(true), ownClock)) {
            ApiClient client = blocking.api();
            Account a = client.register("blocked");
            assertThat(client.get("/users/@me", a.token()).status()).isEqualTo(200);

            // 10,000 requests without a token; 401s need no database, so this is quick
            List<Future<Integer>> counts = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (int t = 0; t < 8; t++) {
                    counts.add(pool.submit(() -> {
                        int unauthorized = 0;
                        for (int i = 0; i < 1_250; i++) {
                            unauthorized += client.get("/users/@me", null).status() == 401 ? 1 : 0;
                        }
                        return unauthorized;
                    }));
                }
                int total = 0;
                for (Future<Integer> c : counts) {
                    total += c.get();
                }
                assertThat(total).as("all answered normally up to the limit").isEqualTo(10_000);
            }

            var blocked = client.get("/users/@me", a.token());
            assertThat(blocked.status()).isEqualTo(429);
            assertThat(blocked.json().get("message").asText()).contains("blocked");
            assertThat(blocked.json().get("global").asBoolean()).isTrue();
            assertThat(blocked.json().get("retry_after").asDouble()).isEqualTo(3600.0);
            assertThat(blocked.json().get("code").asInt()).isZero();
            assertThat(blocked.header("retry-after")).isEqualTo("3600");
            assertThat(blocked.header("x-ratelimit-global")).isEqualTo("true");
            assertThat(blocked.header("x-ratelimit-scope")).isEqualTo("global");
            assertThat(client.get("/gateway", null).status()).as("every route").isEqualTo(429);
            assertThat(client.version("v1").get("/gateway", null).json().get("code").asText()).isEqualTo("RATE_LIMITED");

            ownClock.advance(3_599_999);
            assertThat(client.get("/users/@me", a.token()).status()).isEqualTo(429);
            ownClock.advance(1);
            assertThat(client.get("/users/@me", a.token()).status()).isEqualTo(200);
        }
    }
}
