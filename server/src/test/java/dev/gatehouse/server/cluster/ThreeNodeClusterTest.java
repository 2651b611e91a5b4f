package dev.gatehouse.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cluster.NatsProcess;
import dev.gatehouse.cluster.NodeDirectory;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestDatabases;
import dev.gatehouse.store.DatabaseConfig;
import dev.gatehouse.store.JdbcStore;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A cluster of separate server processes over one PostgreSQL schema and one NATS server of the
 * test's own (so it can be killed and restarted): node A and B serve everything, C the API only.
 * A bot is connected to A; messages are posted through the others' APIs. What must hold is what
 * no single node can show: each committed message reaches the bot once, in the guild's commit
 * order, across nodes, through a node's {@code kill -9} and through a NATS restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeClusterTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final long GUILDS = 1;
    static final long GUILD_PRESENCES = 1 << 8;
    static final long GUILD_MESSAGES = 1 << 9;

    static NatsProcess nats;
    static DatabaseConfig db;
    static JdbcStore log;
    static NodeProcess a;
    static NodeProcess b;
    static NodeProcess c;
    static Account owner;
    static Account bot;
    static long guild;
    static long channel;

    @BeforeAll
    static void startCluster() throws Exception {
        nats = NatsProcess.start();
        db = TestDatabases.freshPostgres();
        a = NodeProcess.start("node-a", "all", nats.url(), db);
        b = NodeProcess.start("node-b", "all", nats.url(), db);
        c = NodeProcess.start("node-c", "api", nats.url(), db);
        log = JdbcStore.open(db);
        owner = a.api.register("owner");
        guild = b.api.createGuild(owner, "Clustered").get("id").asLong();
        channel = c.api.firstTextChannel(guild, owner.token());
        bot = a.api.createBot(owner, "listener");
        var added = c.api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", owner.token(),
                Map.of("guild_id", Long.toString(guild), "permissions", "0", "authorize", true));
        assertThat(added.status()).isIn(200, 201, 204);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (NodeProcess n : new NodeProcess[] {a, b, c}) {
            if (n != null) {
                n.close();
            }
        }
        if (log != null) {
            log.close();
        }
        if (nats != null) {
            nats.close();
        }
        if (db != null) {
            TestDatabases.drop(db);
        }
    }

    static GatewayTestClient identified(NodeProcess node, Account who) {
        return identified(node, who, GUILDS | GUILD_MESSAGES);
    }

    static GatewayTestClient identified(NodeProcess node, Account who, long intents) {
        GatewayTestClient client = GatewayTestClient.connect(URI.create(node.gatewayUrl()), "v=10");
        assertThat(client.next(WAIT).get("op").intValue()).isEqualTo(10);
        client.identify(who.token(), intents);
        client.nextDispatch("READY", WAIT);
        JsonNode created = client.nextDispatch("GUILD_CREATE", WAIT);
        assertThat(created.at("/d/id").asLong()).isEqualTo(guild);
        return client;
    }

    /** Renames the guild to {@code marker}: every message committed before it comes before its GUILD_UPDATE. */
    static void mark(NodeProcess through, String marker) {
        assertThat(through.api.patch("/guilds/" + guild, owner.token(), Map.of("name", marker)).status()).isEqualTo(200);
    }

    /** The ids of the MESSAGE_CREATEs the client got until the marker's GUILD_UPDATE. */
    static List<Long> messagesUntil(GatewayTestClient client, String marker) {
        List<Long> ids = new ArrayList<>();
        while (true) {
            JsonNode d = client.nextDispatchOf(List.of("MESSAGE_CREATE", "GUILD_UPDATE"), WAIT);
            assertThat(d).as("a MESSAGE_CREATE or the GUILD_UPDATE " + marker).isNotNull();
            if (d.get("t").asText().equals("GUILD_UPDATE")) {
                if (d.at("/d/name").asText().equals(marker)) {
                    return ids;
                }
                continue;
            }
            ids.add(d.at("/d/id").asLong());
        }
    }

    /** The ids of the guild's logged MESSAGE_CREATEs after {@code from}, in version order. */
    static List<Long> loggedMessages(Set<Long> among) {
        List<Long> ids = new ArrayList<>();
        long after = 0;
        while (true) {
            long from = after;
            List<GatewayEvent> page = log.read(tx -> tx.events().after(guild, from, 500));
            if (page.isEmpty()) {
                return ids;
            }
            for (GatewayEvent e : page) {
                long id = ((JsonNode) e.data()).path("id").asLong();
                if (e.type() == DispatchType.MESSAGE_CREATE && among.contains(id)) {
                    ids.add(id);
                }
                after = e.position().version();
            }
        }
    }

    static long post(ApiClient api, String content) {
        var r = api.post("/channels/" + channel + "/messages", owner.token(), Map.of("content", content));
        assertThat(r.status()).as("post %s", r).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    @Test
    void aBotOnOneNodeGetsEveryMessagePostedThroughTheOthersOnceInCommitOrder() throws Exception {
        try (GatewayTestClient listener = identified(a, bot); ExecutorService pool = Executors.newFixedThreadPool(2)) {
            CompletableFuture<List<Long>> viaB = CompletableFuture.supplyAsync(() -> postMany(b.api, "b", 40), pool);
            CompletableFuture<List<Long>> viaC = CompletableFuture.supplyAsync(() -> postMany(c.api, "c", 40), pool);
            Set<Long> posted = new HashSet<>(viaB.get());
            posted.addAll(viaC.get());
            mark(c, "after-80");
            List<Long> got = messagesUntil(listener, "after-80");
            assertThat(got).as("each once, in the guild's commit order").isEqualTo(loggedMessages(posted));
            assertThat(Set.copyOf(got)).isEqualTo(posted);
        }
    }

    static List<Long> postMany(ApiClient api, String prefix, int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(post(api, prefix + "-" + i));
        }
        return ids;
    }

    @Test
    void everyNodeIsAnnouncedWithAWorkerIdOfItsOwn() throws Exception {
        try (Connection connection = Nats.connect(nats.url())) {
            List<NodeDirectory.Node> live = new NodeDirectory(connection, NodeDirectory.Settings.DEFAULT).live();
            Map<String, NodeDirectory.Node> byName = live.stream().collect(Collectors.toMap(NodeDirectory.Node::name, n -> n));
            assertThat(byName).containsKeys("node-a", "node-b", "node-c");
            assertThat(live.stream().map(NodeDirectory.Node::workerId).distinct().count()).isEqualTo(live.size());
            assertThat(live).allSatisfy(n -> assertThat(n.workerId()).as("worker 0 stays the admin commands'").isGreaterThanOrEqualTo(32));
            assertThat(byName.get("node-c").role()).isEqualTo("api");
            assertThat(byName.get("node-c").gatewayUrl()).isNull();
            assertThat(byName.get("node-a").gatewayUrl()).isEqualTo(a.gatewayUrl() + "/gateway");
        }
        JsonNode health = c.api.raw("GET", "/healthz", null, null, Map.of()).json();
        assertThat(health.get("node").asText()).isEqualTo("node-c");
        assertThat(health.get("bus").asText()).isEqualTo("up");
        assertThat(health.get("database").asText()).isEqualTo("up");
        assertThat(health.get("worker_lease").asText()).isEqualTo("held");
    }

    @Test
    void anApiOnlyNodePointsClientsToALiveGatewayAndServesNoneItself() {
        String url = c.api.get("/gateway", null).json().get("url").asText();
        assertThat(url).isIn(a.gatewayUrl() + "/gateway", b.gatewayUrl() + "/gateway");
        assertThatThrownBy(() -> GatewayTestClient.connect(URI.create(c.gatewayUrl()), "v=10"))
                .as("no gateway on an API node").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void killingANodeMidStreamLosesNoCommittedMessage() throws Exception {
        NodeProcess doomed = NodeProcess.start("node-d", "all", nats.url(), db);
        try (GatewayTestClient listener = identified(a, bot)) {
            List<Long> acknowledged = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                acknowledged.add(post(doomed.api, "d-" + i));
            }
            doomed.kill();
            mark(b, "after-kill");
            List<Long> got = messagesUntil(listener, "after-kill");
            assertThat(got).as("no duplicates").doesNotHaveDuplicates();
            assertThat(got).as("every acknowledged message, in order").containsSubsequence(acknowledged);
            assertThat(got).isEqualTo(loggedMessages(Set.copyOf(got)));
        } finally {
            doomed.close();
        }
    }

    /**
     * SIGTERM to the node a bot is on, while messages stream in through another: the bot gets op 7,
     * resumes on another node (or on the same node started again) with the session id and seq it
     * had, and gets every message once, in order, without identifying again.
     */
    @Test
    void aDrainedNodesSessionResumesOnAnotherNodeWithNothingLostOrDoubled() throws Exception {
        NodeProcess draining = NodeProcess.start("node-e", "all", nats.url(), db);
        assertMovesWithNothingLost(draining, () -> b, "after-drain");
    }

    @Test
    void aRestartedNodeTakesItsOwnSessionsBack() throws Exception {
        NodeProcess first = NodeProcess.start("node-f", "all", nats.url(), db);
        NodeProcess[] again = new NodeProcess[1];
        try {
            assertMovesWithNothingLost(first, () -> {
                again[0] = NodeProcess.start("node-f", "all", nats.url(), db);
                return again[0];
            }, "after-restart-f");
        } finally {
            if (again[0] != null) {
                again[0].close();
            }
        }
    }

    /**
     * The client resumes on another node while the session's owner is alive and still has it
     * attached: the owner gives it up and closes the old connection (4000), and the client gets
     * every message once, in order, without identifying again.
     */
    @Test
    void aResumeOnAnotherNodeTakesTheSessionFromItsLiveOwner() throws Exception {
        List<Long> got = new ArrayList<>();
        Poster poster = new Poster("live");
        try (GatewayTestClient first = identified(a, bot)) {
            String sessionId = sessionIdOf(first);
            poster.start();
            long seq = 0;
            while (got.size() < 10) {
                JsonNode frame = first.next(WAIT);
                seq = frame.hasNonNull("s") ? frame.get("s").longValue() : seq;
                if ("MESSAGE_CREATE".equals(frame.path("t").asText())) {
                    got.add(frame.at("/d/id").asLong());
                }
            }
            // what the first connection gets from here on is not read: the resume replays it
            try (GatewayTestClient second = resumed(b, sessionId, seq, got)) {
                assertThat(first.awaitClose(WAIT).code()).as("the owner closes the old connection").isEqualTo(4000);
                Thread.sleep(500);
                poster.stop();
                mark(c, "after-takeover");
                got.addAll(messagesUntil(second, "after-takeover"));
            } finally {
                poster.stop();
            }
        }
        assertThat(got).as("each once, in order, across the takeover").doesNotHaveDuplicates().isEqualTo(poster.posted());
    }

    /** A session that moves keeps the presence it set: the node it moves to shows it as it was, not as a fresh "online". */
    @Test
    void aMovedSessionKeepsThePresenceItSet() throws Exception {
        try (GatewayTestClient watcher = identified(b, owner, GUILDS | GUILD_PRESENCES); GatewayTestClient first = identified(a, bot)) {
            first.send(Map.of("op", 3, "d", Map.of("status", "dnd", "afk", false, "activities",
                    List.of(Map.of("name", "Chess", "type", 0)))));
            Thread.sleep(300); // op 3 is applied on the session's loop; nothing answers it
            long seq = first.received().stream().filter(f -> f.hasNonNull("s")).mapToLong(f -> f.get("s").longValue()).max()
                    .orElseThrow();
            try (GatewayTestClient second = resumed(b, sessionIdOf(first), seq, new ArrayList<>())) {
                JsonNode shown;
                do {
                    shown = watcher.nextDispatch("PRESENCE_UPDATE", WAIT);
                } while (shown.at("/d/user/id").asLong() != bot.id());
                assertThat(shown.at("/d/status").asText()).isEqualTo("dnd");
                assertThat(shown.at("/d/activities/0/name").asText()).isEqualTo("Chess");
            }
        }
    }

    /** A session whose node was killed outright is gone: the resume elsewhere gets op 9, and identify works there. */
    @Test
    void aResumeAfterItsNodeWasKilledGetsOp9AndIdentifiesElsewhere() throws Exception {
        NodeProcess doomed = NodeProcess.start("node-g", "all", nats.url(), db);
        String sessionId;
        try (GatewayTestClient first = identified(doomed, bot)) {
            sessionId = sessionIdOf(first);
            doomed.kill();
        } finally {
            doomed.close();
        }
        try (GatewayTestClient second = GatewayTestClient.connect(URI.create(b.gatewayUrl()), "v=10")) {
            assertThat(second.next(WAIT).get("op").intValue()).isEqualTo(10);
            second.resume(bot.token(), sessionId, 2);
            JsonNode refused = second.next(WAIT);
            assertThat(refused.get("op").intValue()).isEqualTo(9);
            assertThat(refused.get("d").asBoolean()).isFalse();
        }
        try (GatewayTestClient again = identified(b, bot)) {
            assertThat(again.isOpen()).isTrue();
        }
    }

    interface Target {
        NodeProcess get() throws Exception;
    }

    /** Messages stream in through C while the bot's node is stopped; the bot resumes on {@code target}. */
    static void assertMovesWithNothingLost(NodeProcess from, Target target, String marker) throws Exception {
        List<Long> got = new ArrayList<>();
        GatewayTestClient first = identified(from, bot);
        String sessionId = sessionIdOf(first);
        Poster poster = new Poster(marker);
        poster.start();
        try {
            long seq = 0;
            poster.awaitPosted(15);
            Thread stopper = Thread.ofVirtual().start(() -> {
                try {
                    from.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // everything until op 7, then the close
            while (true) {
                JsonNode frame = first.next(WAIT);
                if (frame.get("op").intValue() == 7) {
                    break;
                }
                if (frame.hasNonNull("s")) {
                    seq = frame.get("s").longValue();
                }
                if ("MESSAGE_CREATE".equals(frame.path("t").asText())) {
                    got.add(frame.at("/d/id").asLong());
                }
            }
            assertThat(first.awaitClose(WAIT).code()).as("reconnect and resume").isEqualTo(4000);
            stopper.join();
            first.close();
            try (GatewayTestClient second = resumed(target.get(), sessionId, seq, got)) {
                Thread.sleep(500);
                poster.stop();
                mark(c, marker);
                got.addAll(messagesUntil(second, marker));
            }
        } finally {
            poster.stop();
            from.close();
        }
        assertThat(got).as("each once, in order, across the move").doesNotHaveDuplicates().isEqualTo(poster.posted());
    }

    static String sessionIdOf(GatewayTestClient client) {
        return client.received().stream().filter(f -> "READY".equals(f.path("t").asText())).findFirst()
                .orElseThrow().at("/d/session_id").asText();
    }

    /**
     * Resumes the bot's session on {@code node} from {@code seq}, adding the messages replayed
     * before RESUMED to {@code got}; no invalid session and no new READY on the way.
     */
    static GatewayTestClient resumed(NodeProcess node, String sessionId, long seq, List<Long> got) {
        GatewayTestClient client = GatewayTestClient.connect(URI.create(node.gatewayUrl()), "v=10");
        assertThat(client.next(WAIT).get("op").intValue()).isEqualTo(10);
        client.resume(bot.token(), sessionId, seq);
        while (true) {
            JsonNode frame = client.next(WAIT);
            assertThat(frame.get("op").intValue()).as("no invalid session: %s", frame).isZero();
            assertThat(frame.get("t").asText()).as("no new READY").isNotEqualTo("READY");
            if ("MESSAGE_CREATE".equals(frame.get("t").asText())) {
                got.add(frame.at("/d/id").asLong());
            }
            if ("RESUMED".equals(frame.get("t").asText())) {
                return client;
            }
        }
    }

    /**
     * Numbered messages posted through C, one every 20 ms, until stopped (at most 200). A post that
     * fails ends the posting, and the test with it: {@link #awaitPosted} and {@link #stop} throw it.
     */
    static final class Poster {
        private final String prefix;
        private final List<Long> posted = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean posting = true;
        private volatile Throwable failure;
        private Thread thread;

        Poster(String prefix) {
            this.prefix = prefix;
        }

        void start() {
            thread = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; posting && i < 200; i++) {
                        posted.add(post(c.api, prefix + "-" + i));
                        Thread.sleep(20);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    failure = e;
                }
            });
        }

        /** Waits until {@code n} messages were posted. */
        void awaitPosted(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (posted.size() < n) {
                rethrow();
                assertThat(System.nanoTime()).as("%d posted in %s", n, WAIT).isLessThan(deadline);
                Thread.sleep(10);
            }
        }

        /** Stops posting and waits for the last post's answer. */
        void stop() throws InterruptedException {
            posting = false;
            if (thread != null) {
                thread.join(WAIT);
            }
            rethrow();
        }

        private void rethrow() {
            if (failure != null) {
                throw new AssertionError("posting failed", failure);
            }
        }

        List<Long> posted() {
            return List.copyOf(posted);
        }
    }

    /** Last: the other tests do not depend on how soon the nodes are back on NATS after it. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aNatsRestartInTheMiddleOfAStreamLosesAndDoublesNothing() throws Exception {
        try (GatewayTestClient listener = identified(a, bot)) {
            List<Long> posted = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                if (i == 20) {
                    nats.kill();
                }
                if (i == 40) {
                    nats.restart();
                }
                posted.add(post(i % 2 == 0 ? b.api : c.api, "n-" + i));
            }
            mark(c, "after-restart");
            List<Long> got = messagesUntil(listener, "after-restart");
            assertThat(got).as("each once, in order, the ones posted while NATS was down too").isEqualTo(posted);
        }
        for (NodeProcess node : List.of(a, b, c)) {
            awaitHealthy(node);
        }
    }

    /** Waits until the node's /healthz says it is on the bus and holds its worker id (again, after an outage). */
    static void awaitHealthy(NodeProcess node) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode health = node.api.raw("GET", "/healthz", null, null, Map.of()).json();
            if (health.path("bus").asText().equals("up") && health.path("worker_lease").asText().equals("held")) {
                return;
            }
            assertThat(System.nanoTime()).as("%s healthy again: %s", node, health).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
