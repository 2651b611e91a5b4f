package dev.gatehouse.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.Node;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Changes another process makes over the same database (a second node, an admin command: its own
 * bus, its own sections) reach this server's sessions through the event log: each exactly once,
 * in the guild's commit order, interleaved with the server's own changes.
 */
class EventLogDeliveryTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final long GUILDS = 1;
    static final long GUILD_MESSAGES = 1 << 9;
    static final long MESSAGE_CONTENT = 1 << 15;

    static TestServer server;
    static Node other;
    static ApiClient api;
    static Account owner;
    static long guild;
    static long channel;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.api();
        owner = api.register("owner");
        guild = api.createGuild(owner, "Shared").get("id").asLong();
        channel = api.firstTextChannel(guild, owner.token());
        // snowflake process 1, as an admin command takes: ids never collide with the server's
        other = Node.open(server.database(), Clock.systemUTC(), 1, 1, PlatformLimits.defaults());
    }

    @AfterAll
    static void stop() {
        other.close();
        server.close();
    }

    static GatewayTestClient identified(Account who, long intents) {
        GatewayTestClient c = GatewayTestClient.connect(URI.create(server.baseUrl().replaceFirst("^http", "ws")), "v=10");
        assertThat(c.next(WAIT).get("op").intValue()).isEqualTo(10);
        c.identify(who.token(), intents);
        c.nextDispatch("READY", WAIT);
        return c;
    }

    static Principal inOther(Account who) {
        return other.platform().tokens().authenticate(who.token().replaceFirst("^Bot ", "")).orElseThrow();
    }

    static Form form(Map<String, Object> fields) {
        return Form.of(Json.mapper().valueToTree(fields));
    }

    /** MESSAGE_CREATE dispatches until the GUILD_UPDATE that renames the guild to {@code marker}. */
    static List<JsonNode> messagesUntil(GatewayTestClient c, String marker) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode d = c.nextDispatchOf(List.of("MESSAGE_CREATE", "GUILD_UPDATE"), WAIT);
            assertThat(d).as("a MESSAGE_CREATE or the GUILD_UPDATE " + marker).isNotNull();
            if (d.get("t").asText().equals("GUILD_UPDATE")) {
                if (d.at("/d/name").asText().equals(marker)) {
                    return out;
                }
                continue;
            }
            out.add(d.get("d"));
        }
    }

    /** The ids of the guild's MESSAGE_CREATE events in the log, in version order: the commit order. */
    static List<Long> loggedMessageIds() {
        List<Long> ids = new ArrayList<>();
        long after = 0;
        while (true) {
            long from = after;
            List<GatewayEvent> page = other.store().read(tx -> tx.events().after(guild, from, 500));
            if (page.isEmpty()) {
                return ids;
            }
            for (GatewayEvent e : page) {
                if (e.type() == DispatchType.MESSAGE_CREATE) {
                    ids.add(((JsonNode) e.data()).get("id").asLong());
                }
                after = e.position().version();
            }
        }
    }

    @Test
    void messagesFromTwoProcessesAtOnceArriveOnceEachInCommitOrder() throws Exception {
        Account bot = api.createBot(owner, "reader");
        var added = api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", owner.token(),
                Map.of("guild_id", Long.toString(guild), "permissions", "0", "authorize", true));
        assertThat(added.status()).isIn(200, 201, 204);
        try (GatewayTestClient person = identified(owner, GUILDS | GUILD_MESSAGES);
                GatewayTestClient reader = identified(bot, GUILDS | GUILD_MESSAGES);
                ExecutorService pool = Executors.newFixedThreadPool(4)) {
            person.nextDispatch("GUILD_CREATE", WAIT);
            reader.nextDispatch("GUILD_CREATE", WAIT);
            Principal ownerThere = inOther(owner);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 40; i++) {
                        String content = "w" + writer + "-" + i;
                        if (writer % 2 == 0) {
                            var r = api.post("/channels/" + channel + "/messages", owner.token(), Map.of("content", content));
                            assertThat(r.status()).isEqualTo(200);
                        } else {
                            other.platform().messages().create(ownerThere, channel, form(Map.of("content", content)));
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
            other.platform().guilds().modify(ownerThere, guild, form(Map.of("name", "after-160")));

            List<Long> logged = loggedMessageIds();
            assertThat(logged).hasSize(160);
            List<JsonNode> seen = messagesUntil(person, "after-160");
            assertThat(seen.stream().map(m -> m.get("id").asLong()).toList()).as("each once, in commit order").isEqualTo(logged);
            assertThat(seen.stream().map(m -> m.get("content").asText()).toList()).allMatch(c -> c.startsWith("w"));
            List<JsonNode> bots = messagesUntil(reader, "after-160");
            assertThat(bots.stream().map(m -> m.get("id").asLong()).toList()).isEqualTo(logged);
            // without MESSAGE_CONTENT a bot sees no content, whichever process wrote the message
            assertThat(bots.stream().map(m -> m.get("content").asText()).toList()).allMatch(String::isEmpty);
        }
    }

    @Test
    void aJoinInAnotherProcessReachesTheJoinersSessionAndTheGuildFollowsFromThere() {
        Account joiner = api.register("joiner");
        try (GatewayTestClient c = identified(joiner, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)) {
            other.platform().members().join(guild, joiner.id(), Set.of());
            JsonNode created = c.nextDispatch("GUILD_CREATE", WAIT);
            assertThat(created.at("/d/id").asLong()).isEqualTo(guild);
            Principal ownerThere = inOther(owner);
            other.platform().messages().create(ownerThere, channel, form(Map.of("content", "welcome")));
            api.post("/channels/" + channel + "/messages", owner.token(), Map.of("content", "hello from here"));
            other.platform().guilds().modify(ownerThere, guild, form(Map.of("name", "after-join")));
            assertThat(messagesUntil(c, "after-join").stream().map(m -> m.get("content").asText()).toList())
                    .containsExactly("welcome", "hello from here");
            // and a leave there ends it here: nothing of the guild after its GUILD_DELETE
            other.platform().members().leave(inOther(joiner), guild);
            JsonNode gone = c.nextDispatchOf(List.of("GUILD_DELETE"), WAIT);
            assertThat(gone.at("/d/id").asLong()).isEqualTo(guild);
            other.platform().messages().create(ownerThere, channel, form(Map.of("content", "after the leave")));
            api.post("/channels/" + channel + "/messages", owner.token(), Map.of("content", "also after"));
            assertThat(c.nextDispatchOf(List.of("MESSAGE_CREATE"), Duration.ofSeconds(2))).as("nothing after the leave").isNull();
        }
    }

    @Test
    void aDirectMessageFromAnotherProcessReachesTheRecipientOnce() {
        Account sender = api.register("sender");
        Account recipient = api.register("recipient");
        try (GatewayTestClient c = identified(recipient, 1 << 12 | MESSAGE_CONTENT)) {
            long dm = api.post("/users/@me/channels", sender.token(), Map.of("recipient_id", Long.toString(recipient.id())))
                    .json().get("id").asLong();
            Principal senderThere = inOther(sender);
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                String content = "dm-" + i;
                sent.add(content);
                if (i % 2 == 0) {
                    other.platform().messages().create(senderThere, dm, form(Map.of("content", content)));
                } else {
                    api.post("/channels/" + dm + "/messages", sender.token(), Map.of("content", content));
                }
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                JsonNode m = c.nextDispatch("MESSAGE_CREATE", WAIT);
                got.add(m.at("/d/content").asText());
            }
            assertThat(got).as("in the order sent").containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 20).mapToObj(i -> "dm-" + i).toList());
            assertThat(c.nextDispatchOf(List.of("MESSAGE_CREATE"), Duration.ofSeconds(1))).as("none twice").isNull();
        }
    }
}
