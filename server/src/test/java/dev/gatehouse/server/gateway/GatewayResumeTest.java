package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.OffsetClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Resume over real sockets: exact replay, takeover, refusals per dialect, the resume window, op 7. */
class GatewayResumeTest extends WorldPerClass {

    record Session(String id, long seq) {}

    /** Reads until the given message arrives; returns the session id and the seq seen last. */
    static long seqOf(GatewayTestClient c, String messageId) {
        while (true) {
            JsonNode m = c.nextDispatch("MESSAGE_CREATE", WAIT);
            if (m.at("/d/id").asText().equals(messageId)) {
                return m.get("s").longValue();
            }
        }
    }

    static String sessionId(GatewayTestClient c) {
        return c.received().stream().filter(f -> "READY".equals(f.path("t").asText())).findFirst().orElseThrow()
                .at("/d/session_id").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=10", "v=1"})
    void aDroppedClientResumesAndGetsEveryMissedDispatchOnceInOrder(String query) {
        Account member = world.member("resumer");
        GatewayTestClient first = world.identified(member, query, GatewayWorld.ALL_UNPRIVILEGED | GatewayWorld.MESSAGE_CONTENT);
        String session = sessionId(first);
        long seq = seqOf(first, world.post(world.owner, world.channelId, "before").get("id").asText());
        first.heartbeat(seq);
        first.abort();
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            missed.add(world.post(world.owner, world.channelId, "missed " + i).get("id").asText());
        }
        try (GatewayTestClient second = world.connect(query)) {
            second.next(WAIT);
            second.resume(member.token(), session, seq);
            List<String> replayed = new ArrayList<>();
            long expected = seq + 1;
            while (true) {
                JsonNode d = second.next(WAIT);
                assertThat(d.get("op").intValue()).as("frame %s", d).isIn(0, 11);
                if (d.get("op").intValue() != 0) {
                    continue;
                }
                assertThat(d.get("s").longValue()).as("gap-free seq").isEqualTo(expected++);
                if (d.get("t").asText().equals("RESUMED")) {
                    break;
                }
                if (d.get("t").asText().equals("MESSAGE_CREATE")) {
                    replayed.add(d.at("/d/id").asText());
                }
            }
            assertThat(replayed).containsExactlyElementsOf(missed);
            String live = world.post(world.owner, world.channelId, "after").get("id").asText();
            JsonNode next = second.nextDispatch("MESSAGE_CREATE", WAIT);
            assertThat(next.at("/d/id").asText()).isEqualTo(live);
            // anything else since RESUMED (a fluxer presence batch, say) is numbered in between, without gaps
            for (JsonNode d : second.received()) {
                if (d.path("op").asInt() == 0 && d.get("s").longValue() >= expected && d.get("s").longValue() <= next.get("s").longValue()) {
                    assertThat(d.get("s").longValue()).as("gap-free seq after RESUMED").isEqualTo(expected++);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=10", "v=1"})
    void resumingALiveSessionClosesTheOldConnection4000(String query) {
        Account member = world.member("taker");
        try (GatewayTestClient first = world.identified(member, query, 1 | (1 << 9));
                GatewayTestClient second = world.connect(query)) {
            second.next(WAIT);
            second.resume(member.token(), sessionId(first), 1);
            JsonNode resumed = second.nextDispatch("RESUMED", WAIT);
            assertThat(resumed).isNotNull();
            var close = first.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4000);
            String live = world.post(world.owner, world.channelId, "to the new one").get("id").asText();
            assertThat(second.nextDispatch("MESSAGE_CREATE", WAIT).at("/d/id").asText()).isEqualTo(live);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=10", "v=1"})
    void unknownSessionsAreInvalid(String query) {
        Account member = world.member("unknown");
        try (GatewayTestClient c = world.connect(query)) {
            c.next(WAIT);
            c.resume(member.token(), "0123456789abcdef0123456789abcdef", 3);
            JsonNode invalid = c.next(WAIT);
            assertThat(invalid.get("op").intValue()).isEqualTo(9);
            assertThat(invalid.get("d").booleanValue()).isFalse();
        }
    }

    @Test
    void discordRefusesASeqFromTheFutureWithInvalidSession() {
        Account member = world.member("future");
        GatewayTestClient first = world.identified(member, "v=10", 1);
        String session = sessionId(first);
        first.abort();
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.resume(member.token(), session, 999);
            JsonNode invalid = c.next(WAIT);
            assertThat(invalid.get("op").intValue()).isEqualTo(9);
            assertThat(invalid.get("d").booleanValue()).isFalse();
        }
    }

    @Test
    void fluxerRefusesASeqFromTheFutureWith4007AndEndsTheSession() {
        Account member = world.member("future");
        GatewayTestClient first = world.identified(member, "v=1", 1);
        String session = sessionId(first);
        first.abort();
        try (GatewayTestClient c = world.connect("v=1")) {
            c.next(WAIT);
            c.resume(member.token(), session, 999);
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4007);
        }
        try (GatewayTestClient c = world.connect("v=1")) {
            c.next(WAIT);
            c.resume(member.token(), session, 1);
            assertThat(c.next(WAIT).get("op").intValue()).as("the session is gone").isEqualTo(9);
        }
    }

    @Test
    void anotherUsersTokenCannotResume() {
        Account member = world.member("victim");
        Account thief = world.member("thief");
        GatewayTestClient first = world.identified(member, "v=10", 1);
        String session = sessionId(first);
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.resume(thief.token(), session, 1);
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4004);
            assertThat(first.isOpen()).as("the owner keeps the session").isTrue();
        } finally {
            first.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001})
    void aNormalCloseEndsTheSession(int code) {
        Account member = world.member("closer");
        GatewayTestClient first = world.identified(member, "v=10", 1);
        String session = sessionId(first);
        first.close(code);
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.resume(member.token(), session, 1);
            assertThat(c.next(WAIT).get("op").intValue()).isEqualTo(9);
        }
    }

    @Test
    void aCloseWithAnotherCodeKeepsTheSession() {
        Account member = world.member("keeper");
        GatewayTestClient first = world.identified(member, "v=10", 1);
        String session = sessionId(first);
        first.close(4321);
        try (GatewayTestClient c = world.connect("v=10")) {
            c.next(WAIT);
            c.resume(member.token(), session, 1);
            // an object, as Discord sends it: JDA ignores a RESUMED whose d is null
            assertThat(c.nextDispatch("RESUMED", WAIT).get("d").isObject()).isTrue();
        }
    }

    /**
     * A world of its own, with a clock of its own: moving the clock past the resume window would
     * expire the sessions other tests leave behind, and time their connections out.
     */
    @Test
    void sessionsExpireAfterTheResumeWindow() {
        OffsetClock ownClock = new OffsetClock();
        try (GatewayWorld own = GatewayWorld.start(UnaryOperator.identity(), ownClock)) {
            Gateway gateway = own.server.server().gateway();
            Account member = own.member("expiring");
            GatewayTestClient first = own.identified(member, "v=10", 1);
            String session = sessionId(first);
            first.abort();
            // the window counts from when the server saw the connection go
            awaitUntil(() -> {
                GatewaySession kept = gateway.sessions().find(session);
                assertThat(kept).as("the session stays resumable for the window").isNotNull();
                return kept.detachedSince() >= 0;
            }, "the server detaches the session");
            ownClock.advance(Duration.ofMillis(gateway.config().resumeWindowMs()));
            // the once-a-second sweep ends the session: the registry forgets it
            awaitUntil(() -> gateway.sessions().find(session) == null, "the sweep ends the session");
            try (GatewayTestClient c = own.connect("v=10")) {
                c.next(WAIT);
                c.resume(member.token(), session, 1);
                JsonNode invalid = c.next(WAIT);
                assertThat(invalid.get("op").intValue()).isEqualTo(9);
                assertThat(invalid.get("d").booleanValue()).isFalse();
            }
        }
    }

    @Test
    void silentClientsAreClosed4009AndCanResume() {
        GatewayConfig fast = GatewayConfig.defaults().withHeartbeatInterval(300).withSessionTimeout(600);
        try (GatewayWorld quick = GatewayWorld.start(c -> c.withGateway(fast))) {
            Account member = quick.member("silent");
            GatewayTestClient first = quick.identified(member, "v=10", 1);
            String session = sessionId(first);
            JsonNode request = first.next(Duration.ofSeconds(5));
            while (request.get("op").intValue() == 0) {
                request = first.next(Duration.ofSeconds(5));
            }
            assertThat(request.get("op").intValue()).as("the server asks for a heartbeat").isEqualTo(1);
            assertThat(first.awaitClose(WAIT).code()).isEqualTo(4009);
            try (GatewayTestClient c = quick.connect("v=10")) {
                c.next(WAIT);
                c.resume(member.token(), session, 1);
                assertThat(c.nextDispatch("RESUMED", WAIT)).isNotNull();
            }
        }
    }

    @Test
    void shutdownSendsReconnectThen4000() {
        GatewayWorld own = GatewayWorld.start();
        Account member = own.member("drained");
        GatewayTestClient c = own.identified(member, "v=10", 1);
        own.close();
        JsonNode reconnect = c.next(WAIT);
        while (reconnect.get("op").intValue() == 0) {
            reconnect = c.next(WAIT);
        }
        assertThat(reconnect.get("op").intValue()).isEqualTo(7);
        assertThat(c.awaitClose(WAIT).code()).isEqualTo(4000);
    }

    /** The operator's tools to move one user's connections: each keeps the session resumable. */
    @Test
    void aUsersConnectionsCanBeToldToReconnectClosedOrDroppedAndResume() {
        Account member = world.member("moved");
        Gateway gateway = world.server.server().gateway();
        GatewayTestClient c = world.identified(member, "v=10", GatewayWorld.ALL_UNPRIVILEGED);
        String session = sessionId(c);

        assertThat(gateway.reconnect(member.id(), "Moving you").join()).isEqualTo(1);
        assertThat(nextNonDispatch(c).get("op").intValue()).isEqualTo(7);
        assertThat(c.awaitClose(WAIT).code()).isEqualTo(4000);
        c = resumed(member, session, c);

        assertThat(gateway.close(member.id(), CloseCode.UNKNOWN_ERROR, "Closing you").join()).isEqualTo(1);
        assertThat(c.awaitClose(WAIT)).isEqualTo(new GatewayTestClient.CloseStatus(4000, "Closing you"));
        c = resumed(member, session, c);

        assertThat(gateway.abort(member.id()).join()).isEqualTo(1);
        assertThat(c.awaitClose(WAIT).code()).as("no close frame").isEqualTo(1006);
        String missed = world.post(world.owner, world.channelId, "while dropped").get("id").asText();
        c = resumed(member, session, c);
        assertThat(c.received().stream().filter(f -> "MESSAGE_CREATE".equals(f.path("t").asText()))
                .map(f -> f.at("/d/id").asText())).containsExactly(missed);
        c.close();

        assertThat(gateway.abort(world.owner.id()).join()).as("nobody else's connections").isZero();
    }

    /**
     * A session resumed again and again, on connections that land on different event loops, while
     * messages keep coming: across all its connections the dispatches form one gap-free sequence
     * (nothing twice, nothing reordered) and every message arrives once.
     */
    @Test
    void resumingAgainAndAgainWhileMessagesStreamKeepsOneGapFreeSequence() throws Exception {
        Account member = world.member("streamed");
        GatewayTestClient c = world.identified(member, "v=10", GatewayWorld.ALL_UNPRIVILEGED | GatewayWorld.MESSAGE_CONTENT);
        String session = sessionId(c);
        List<String> posted = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread publisher = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 150; i++) {
                posted.add(world.post(world.owner, world.channelId, "stream " + i).get("id").asText());
            }
        });
        List<JsonNode> dispatches = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
            Thread.sleep(15);
            if (round % 2 == 0) {
                c.abort(); // the server may still hold it: the resume then takes the session over
            } else {
                c.close(4321); // a close that keeps the session
            }
            dispatches.addAll(c.received().stream().filter(f -> f.path("op").asInt() == 0).toList());
            long last = dispatches.get(dispatches.size() - 1).get("s").longValue();
            c = world.connect("v=10");
            c.next(WAIT);
            c.resume(member.token(), session, last);
            c.nextDispatch("RESUMED", WAIT);
        }
        publisher.join();
        String lastPosted = posted.get(posted.size() - 1);
        // the last message may have reached an earlier connection already, when the publisher was quicker
        while (dispatches.stream().noneMatch(f -> lastPosted.equals(f.at("/d/id").asText()))
                && c.received().stream().noneMatch(f -> lastPosted.equals(f.at("/d/id").asText()))) {
            c.nextDispatch("MESSAGE_CREATE", WAIT);
        }
        c.close();
        dispatches.addAll(c.received().stream().filter(f -> f.path("op").asInt() == 0).toList());
        long expected = 1;
        for (JsonNode d : dispatches) {
            assertThat(d.get("s").longValue()).as("seq of %s", d.get("t")).isEqualTo(expected++);
        }
        List<String> messages = dispatches.stream().filter(d -> d.get("t").asText().equals("MESSAGE_CREATE"))
                .map(d -> d.at("/d/id").asText()).toList();
        assertThat(messages).containsExactlyElementsOf(posted);
    }

    /** Polls what the server shows until it holds, for at most {@link GatewayWorld#WAIT}. */
    private static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + WAIT);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted", e);
            }
        }
    }

    private static JsonNode nextNonDispatch(GatewayTestClient c) {
        JsonNode f = c.next(WAIT);
        while (f.get("op").intValue() == 0 || f.get("op").intValue() == 11) {
            f = c.next(WAIT);
        }
        return f;
    }

    /** Resumes the session from the last seq the previous connection saw; returns the new connection after RESUMED. */
    private static GatewayTestClient resumed(Account member, String session, GatewayTestClient previous) {
        long seq = previous.received().stream().filter(f -> f.hasNonNull("s")).mapToLong(f -> f.get("s").longValue()).max().orElseThrow();
        previous.abort(); // already closed by the server: this only frees the client
        GatewayTestClient next = world.connect("v=10");
        next.next(WAIT);
        next.resume(member.token(), session, seq);
        next.nextDispatch("RESUMED", WAIT);
        return next;
    }
}
