package dev.gatehouse.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cluster.NatsProcess;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestDatabases;
import dev.gatehouse.store.DatabaseConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits no single node can see: two node processes counting in the machine's Redis (127.0.0.1:6379,
 * CI starts it), under a cluster name of the test's own. A client alternating nodes is limited
 * as against one, and a bot's shards identifying on different nodes wait for each other.
 */
class ClusterLimitsTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String REDIS = "redis://" + System.getProperty("gatehouse.test.redis.host", "127.0.0.1") + ":6379";

    static NatsProcess nats;
    static DatabaseConfig db;
    static NodeProcess a;
    static NodeProcess b;

    @BeforeAll
    static void startCluster() throws Exception {
        nats = NatsProcess.start();
        db = TestDatabases.freshPostgres();
        List<String> limits = List.of("--redis", REDIS, "--cluster-name", "test-" + UUID.randomUUID().toString().substring(0, 8));
        a = NodeProcess.start("limits-a", "all", nats.url(), db, limits);
        b = NodeProcess.start("limits-b", "all", nats.url(), db, limits);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (NodeProcess n : new NodeProcess[] {a, b}) {
            if (n != null) {
                n.close();
            }
        }
        if (nats != null) {
            nats.close();
        }
        if (db != null) {
            TestDatabases.drop(db);
        }
    }

    @Test
    void postingThroughAlternatingNodesIsLimitedAsThroughOne() {
        Account owner = a.api.register("poster");
        long guild = b.api.createGuild(owner, "Limited").get("id").asLong();
        long channel = a.api.firstTextChannel(guild, owner.token());
        List<Integer> statuses = new ArrayList<>();
        ApiClient.Response last = null;
        for (int i = 0; i < 8; i++) {
            last = (i % 2 == 0 ? a : b).api.post("/channels/" + channel + "/messages", owner.token(), Map.of("content", "m" + i));
            statuses.add(last.status());
        }
        // 5 messages per 5 s per channel: on one node's counters each node would have taken 4
        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
        assertThat(last.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(last.json().get("retry_after").asDouble()).isPositive();
    }

    @Test
    void aBotsShardsIdentifyingOnTwoNodesShareOneIdentifyWindow() throws Exception {
        Account owner = a.api.register("shards");
        Account bot = b.api.createBot(owner, "sharded");
        try (GatewayTestClient first = GatewayTestClient.connect(URI.create(a.gatewayUrl()), "v=10")) {
            first.next(WAIT);
            first.send(Map.of("op", 2, "d", Map.of("token", bot.token(), "intents", 1, "shard", List.of(0, 2),
                    "properties", Map.of("os", "linux", "browser", "test", "device", "test"))));
            assertThat(first.nextDispatch("READY", WAIT)).isNotNull();
            long identified = System.nanoTime();
            try (GatewayTestClient second = GatewayTestClient.connect(URI.create(b.gatewayUrl()), "v=10")) {
                second.next(WAIT);
                second.send(Map.of("op", 2, "d", Map.of("token", bot.token(), "intents", 1, "shard", List.of(1, 2),
                        "properties", Map.of("os", "linux", "browser", "test", "device", "test"))));
                JsonNode refused = second.next(WAIT);
                // max_concurrency 1: shard 1 shares shard 0's bucket, whichever node it reaches
                assertThat(refused.get("op").intValue()).as("invalid session: identify again later").isEqualTo(9);
                assertThat(refused.get("d").asBoolean()).isFalse();
            }
            Thread.sleep(Math.max(0, 5_100 - (System.nanoTime() - identified) / 1_000_000));
            try (GatewayTestClient third = GatewayTestClient.connect(URI.create(b.gatewayUrl()), "v=10")) {
                third.next(WAIT);
                third.send(Map.of("op", 2, "d", Map.of("token", bot.token(), "intents", 1, "shard", List.of(1, 2),
                        "properties", Map.of("os", "linux", "browser", "test", "device", "test"))));
                assertThat(third.nextDispatch("READY", WAIT)).as("the window has passed").isNotNull();
            }
        }
    }
}
