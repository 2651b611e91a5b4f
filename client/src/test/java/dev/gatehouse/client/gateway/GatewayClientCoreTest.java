package dev.gatehouse.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.gateway.GatewayClientCore.State;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client session with a scripted server and a fake clock: handshake, heartbeats, every way a connection ends. */
class GatewayClientCoreTest {

    static final URI GATEWAY = URI.create("ws://127.0.0.1:8080/gateway");
    static final long INTERVAL = 40_000;

    long now = 1_000_000;
    final FakeTransport net = new FakeTransport();
    final RecordingListener app = new RecordingListener();
    double jitter = 0.25;

    GatewayClientCore core(Dialect dialect) {
        ClientConfig config = ClientConfig.of(GATEWAY, "Bot abc", 513).withDialect(dialect);
        return new GatewayClientCore(config, net, app, () -> jitter);
    }

    static JsonNode json(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void hello(GatewayClientCore c) {
        c.opened(now);
        c.received(json("{\"op\":10,\"d\":{\"heartbeat_interval\":" + INTERVAL + "}}"), now);
    }

    void dispatch(GatewayClientCore c, long s, String type, String d) {
        c.received(json("{\"op\":0,\"s\":" + s + ",\"t\":\"" + type + "\",\"d\":" + d + "}"), now);
    }

    GatewayClientCore ready(Dialect dialect) {
        GatewayClientCore c = core(dialect);
        c.start(now);
        hello(c);
        dispatch(c, 1, "READY", "{\"session_id\":\"s1\",\"resume_gateway_url\":\"ws://resume.example/gateway\"}");
        assertThat(c.state()).isEqualTo(State.READY);
        return c;
    }

    /** Runs the clock to the core's next deadline and ticks. */
    void advanceToDeadline(GatewayClientCore c) {
        now = Math.max(now, c.nextDeadline(now));
        c.tick(now);
    }

    @Test
    void connectsWithTheQueryAndIdentifiesOnHello() {
        GatewayClientCore c = core(Dialect.DISCORD);
        c.start(now);
        assertThat(net.connects).containsExactly("ws://127.0.0.1:8080/gateway?v=10&encoding=json&compress=zlib-stream");
        hello(c);
        JsonNode identify = net.last();
        assertThat(identify.get("op").intValue()).isEqualTo(2);
        assertThat(identify.at("/d/token").asText()).as("the Bot scheme is not part of identify").isEqualTo("abc");
        assertThat(identify.at("/d/intents").longValue()).isEqualTo(513);
        assertThat(identify.at("/d/shard").toString()).isEqualTo("[0,1]");
        assertThat(c.state()).isEqualTo(State.HANDSHAKING);
    }

    @Test
    void fluxerIdentifiesWithoutIntentsOnV1() {
        GatewayClientCore c = core(Dialect.FLUXER);
        c.start(now);
        assertThat(net.connects.get(0)).contains("?v=1&");
        hello(c);
        assertThat(net.last().at("/d").has("intents")).isFalse();
    }

    @Test
    void theFirstHeartbeatIsJitteredThenEveryIntervalWithTheLastSeq() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        assertThat(c.nextDeadline(now)).isEqualTo(now + (long) (INTERVAL * 0.25));
        advanceToDeadline(c);
        assertThat(net.last().toString()).isEqualTo("{\"op\":1,\"d\":1}");
        now += 30;
        c.received(json("{\"op\":11}"), now);
        assertThat(app.roundTrips).containsExactly(30L);
        assertThat(c.nextDeadline(now)).isEqualTo(now - 30 + INTERVAL);
    }

    @Test
    void theServerMayAskForAHeartbeatAtOnce() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        c.received(json("{\"op\":1,\"d\":null}"), now);
        assertThat(net.last().get("op").intValue()).isEqualTo(1);
    }

    @Test
    void aConnectionThatStopsAcknowledgingIsAZombieAndTheSessionResumesElsewhere() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        advanceToDeadline(c); // heartbeat, never acknowledged
        advanceToDeadline(c);
        assertThat(net.closes).containsExactly(GatewayClientCore.RECONNECT_CLOSE);
        assertThat(c.state()).isEqualTo(State.CLOSING);
        c.closed(GatewayClientCore.RECONNECT_CLOSE, "", now);
        assertThat(c.state()).isEqualTo(State.WAITING);
        advanceToDeadline(c);
        assertThat(net.connects.get(1)).as("resume_gateway_url").startsWith("ws://resume.example/gateway?v=10");
        hello(c);
        assertThat(net.last().get("op").intValue()).isEqualTo(6);
        assertThat(net.last().at("/d/session_id").asText()).isEqualTo("s1");
        assertThat(net.last().at("/d/seq").longValue()).isEqualTo(1);
        now += 700;
        dispatch(c, 2, "RESUMED", "{}");
        assertThat(c.state()).isEqualTo(State.READY);
        assertThat(app.resumeAttempts).isEqualTo(1);
        assertThat(app.resumedAfter).hasSize(1);
    }

    @Test
    void theApplicationCanMoveTheSessionToANewConnection() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        c.reconnect(now);
        assertThat(net.closes).containsExactly(GatewayClientCore.RECONNECT_CLOSE);
        c.closed(GatewayClientCore.RECONNECT_CLOSE, "", now);
        advanceToDeadline(c);
        hello(c);
        assertThat(net.last().get("op").intValue()).isEqualTo(6);
    }

    @Test
    void opSevenClosesAndResumes() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        c.received(json("{\"op\":7,\"d\":null}"), now);
        assertThat(net.closes).containsExactly(GatewayClientCore.RECONNECT_CLOSE);
        c.closed(4000, "", now);
        advanceToDeadline(c);
        hello(c);
        assertThat(net.last().get("op").intValue()).isEqualTo(6);
    }

    @Test
    void invalidSessionTrueResumesAndFalseIdentifiesAfterOneToFiveSeconds() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        c.received(json("{\"op\":9,\"d\":true}"), now);
        c.closed(GatewayClientCore.RECONNECT_CLOSE, "", now);
        assertThat(c.nextDeadline(now) - now).isBetween(1_000L, 5_000L);
        advanceToDeadline(c);
        hello(c);
        assertThat(net.last().get("op").intValue()).isEqualTo(6);

        c.received(json("{\"op\":9,\"d\":false}"), now);
        c.closed(GatewayClientCore.RECONNECT_CLOSE, "", now);
        assertThat(c.sessionId()).isNull();
        assertThat(c.nextDeadline(now) - now).isBetween(1_000L, 5_000L);
        advanceToDeadline(c);
        assertThat(net.connects.get(net.connects.size() - 1)).as("a new session starts at the gateway URL").startsWith(GATEWAY.toString());
        hello(c);
        assertThat(net.last().get("op").intValue()).isEqualTo(2);
    }

    @Test
    void aDispatchAlreadyDeliveredIsDropped() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        dispatch(c, 2, "MESSAGE_CREATE", "{}");
        dispatch(c, 2, "MESSAGE_CREATE", "{}");
        dispatch(c, 3, "MESSAGE_CREATE", "{}");
        assertThat(app.seqs).containsExactly(1L, 2L, 3L);
        assertThat(app.duplicates).isEqualTo(1);
    }

    /** docs/PROTOCOL.md §6, per dialect, plus codes no table lists. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "DISCORD, 4000, RESUME", "DISCORD, 4001, RESUME", "DISCORD, 4002, RESUME", "DISCORD, 4003, RESUME",
        "DISCORD, 4004, STOP", "DISCORD, 4005, RESUME", "DISCORD, 4007, IDENTIFY", "DISCORD, 4008, IDENTIFY_60S",
        "DISCORD, 4009, RESUME", "DISCORD, 4010, STOP", "DISCORD, 4011, STOP", "DISCORD, 4012, STOP",
        "DISCORD, 4013, STOP", "DISCORD, 4014, STOP", "DISCORD, 1006, RESUME", "DISCORD, 1011, RESUME",
        "DISCORD, 4999, IDENTIFY",
        "FLUXER, 4000, RESUME", "FLUXER, 4004, STOP", "FLUXER, 4007, IDENTIFY", "FLUXER, 4008, IDENTIFY_60S",
        "FLUXER, 4009, RESUME", "FLUXER, 4013, IDENTIFY", "FLUXER, 4014, IDENTIFY", "FLUXER, 1006, RESUME"})
    void everyCloseCodeHasItsPlan(Dialect dialect, int code, String expected) {
        GatewayClientCore c = ready(dialect);
        c.closed(code, "closed by the test", now);
        switch (expected) {
            case "STOP" -> {
                assertThat(c.state()).isEqualTo(State.STOPPED);
                assertThat(app.stoppedWith).isEqualTo(code);
                assertThat(c.nextDeadline(now)).isEqualTo(Long.MAX_VALUE);
            }
            case "RESUME" -> {
                assertThat(c.nextDeadline(now) - now).isBetween(0L, 1_000L);
                advanceToDeadline(c);
                hello(c);
                assertThat(net.last().get("op").intValue()).isEqualTo(6);
            }
            case "IDENTIFY", "IDENTIFY_60S" -> {
                assertThat(c.sessionId()).isNull();
                long wait = c.nextDeadline(now) - now;
                if (expected.equals("IDENTIFY_60S")) {
                    assertThat(wait).isGreaterThanOrEqualTo(60_000L);
                } else {
                    assertThat(wait).isBetween(1_000L, 5_000L);
                }
                advanceToDeadline(c);
                hello(c);
                assertThat(net.last().get("op").intValue()).isEqualTo(2);
            }
            default -> throw new AssertionError(expected);
        }
    }

    @Test
    void resumesThatKeepFailingBackOffThenGiveTheSessionUp() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        c.closed(1006, "", now);
        long previousWait = -1;
        for (int attempt = 1; attempt <= 5; attempt++) {
            advanceToDeadline(c);
            assertThat(c.state()).isEqualTo(State.CONNECTING);
            c.closed(1006, "refused", now); // never opened
            long wait = c.nextDeadline(now) - now;
            assertThat(wait).as("attempt %d", attempt).isGreaterThan(previousWait).isLessThanOrEqualTo(60_000L);
            previousWait = wait;
        }
        assertThat(c.sessionId()).as("five failed resumes: identify").isNull();
        advanceToDeadline(c);
        hello(c);
        assertThat(net.last().get("op").intValue()).isEqualTo(2);
        dispatch(c, 1, "READY", "{\"session_id\":\"s2\"}");
        assertThat(app.identifiedAfter).hasSize(2);
        assertThat(app.identifiedAfter.get(1)).as("time without a session").isPositive();
    }

    @Test
    void noHelloInTimeCountsAsAFailedConnection() {
        GatewayClientCore c = core(Dialect.DISCORD);
        c.start(now);
        c.opened(now);
        advanceToDeadline(c);
        assertThat(net.closes).containsExactly(GatewayClientCore.RECONNECT_CLOSE);
        c.closed(GatewayClientCore.RECONNECT_CLOSE, "", now);
        assertThat(c.state()).isEqualTo(State.WAITING);
    }

    @Test
    void connectionsThatKeepSendingNoHelloEndInANewSession() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        c.closed(1006, "", now);
        for (int attempt = 1; attempt <= 5; attempt++) {
            advanceToDeadline(c); // connect
            c.opened(now);
            advanceToDeadline(c); // no Hello in time
            c.closed(GatewayClientCore.RECONNECT_CLOSE, "", now);
        }
        assertThat(c.sessionId()).isNull();
        advanceToDeadline(c);
        hello(c);
        assertThat(net.last().get("op").intValue()).isEqualTo(2);
    }

    @Test
    void stopClosesWith1000AndNeverReconnects() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        c.stop(now);
        assertThat(net.closes).containsExactly(1000);
        c.closed(1000, "", now);
        assertThat(c.state()).isEqualTo(State.STOPPED);
        assertThat(app.stoppedWith).isEqualTo(1000);
        assertThat(c.nextDeadline(now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void framesAfterTheClientClosedAreIgnored() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        c.received(json("{\"op\":7}"), now);
        dispatch(c, 2, "MESSAGE_CREATE", "{}");
        assertThat(app.types).containsExactly("READY");
    }

    // ---- what the application sends ---------------------------------------------------------------

    static String frame(int op, String d) {
        return "{\"op\":" + op + ",\"d\":" + d + "}";
    }

    @Test
    void applicationFramesWaitForTheSessionThenGoInOrder() {
        GatewayClientCore c = core(Dialect.DISCORD);
        List<String> outcomes = new ArrayList<>();
        assertThat(c.enqueue(3, frame(3, "{}"), now, outcomes::add)).as("before start").isNotNull();
        c.start(now);
        hello(c);
        assertThat(c.enqueue(3, frame(3, "{\"status\":\"idle\"}"), now, outcomes::add)).isNull();
        assertThat(c.enqueue(8, frame(8, "{\"n\":1}"), now, outcomes::add)).isNull();
        assertThat(net.sentOps()).as("nothing but identify before READY").containsExactly(2);
        dispatch(c, 1, "READY", "{\"session_id\":\"s1\"}");
        assertThat(net.sentOps()).containsExactly(2, 3, 8);
        assertThat(outcomes).containsExactly(null, null);
    }

    @Test
    void framesWaitAcrossAResumeButNotPastTheSession() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            c.enqueue(8, frame(8, "{\"n\":" + i + "}"), now, outcomes::add);
        }
        assertThat(outcomes).as("op 8 goes 3 per 10 s").containsExactly(null, null, null);
        c.closed(1006, "", now);
        advanceToDeadline(c);
        hello(c);
        dispatch(c, 2, "RESUMED", "{}");
        assertThat(outcomes).as("a new connection counts afresh; the fourth goes after RESUMED").hasSize(4);
        assertThat(net.last().at("/d/n").intValue()).isEqualTo(3);
        for (int i = 0; i < 4; i++) {
            c.enqueue(8, frame(8, "{}"), now, outcomes::add);
        }
        c.received(json("{\"op\":9,\"d\":false}"), now);
        c.closed(GatewayClientCore.RECONNECT_CLOSE, "", now);
        assertThat(outcomes.subList(4, outcomes.size())).as("the session ended: what waited is dropped")
                .containsExactly(null, null, "the session ended", "the session ended");
    }

    @Test
    void framesQueuedBeforeTheFirstReadyOutliveAFailedFirstConnection() {
        GatewayClientCore c = core(Dialect.DISCORD);
        List<String> outcomes = new ArrayList<>();
        c.start(now);
        c.enqueue(3, frame(3, "{}"), now, outcomes::add);
        c.closed(1006, "", now); // refused: no session yet, nothing ended
        assertThat(outcomes).isEmpty();
        assertThat(app.sessionsEnded).isZero();
        advanceToDeadline(c);
        hello(c);
        dispatch(c, 1, "READY", "{\"session_id\":\"s1\"}");
        assertThat(outcomes).containsExactly((String) null);
    }

    @Test
    void aFrameTheConnectionNoLongerTakesWaitsForTheNext() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        List<String> outcomes = new ArrayList<>();
        net.open = false; // closed under the core's feet
        c.enqueue(3, frame(3, "{\"status\":\"idle\"}"), now, outcomes::add);
        assertThat(outcomes).isEmpty();
        c.closed(1006, "", now);
        net.open = true;
        advanceToDeadline(c);
        hello(c);
        dispatch(c, 2, "RESUMED", "{}");
        assertThat(outcomes).containsExactly((String) null);
        assertThat(net.last().at("/d/status").asText()).isEqualTo("idle");
        assertThat(app.sessionsEnded).isZero();
    }

    @Test
    void heartbeatsGoThoughTheApplicationHasSpentItsShare() {
        GatewayClientCore c = ready(Dialect.FLUXER); // op 14: no limit of its own
        for (int i = 0; i < 150; i++) {
            c.enqueue(14, frame(14, "{}"), now, ok -> { });
        }
        assertThat(net.sentOps().stream().filter(op -> op == 14)).hasSize(120 - 10 - 1); // identify used one
        long heartbeats = net.sentOps().stream().filter(op -> op == 1).count();
        advanceToDeadline(c);
        assertThat(net.sentOps().stream().filter(op -> op == 1).count()).isEqualTo(heartbeats + 1);
        assertThat(c.nextDeadline(now)).as("the next heartbeat, before the window frees").isEqualTo(now + INTERVAL);
    }

    @Test
    void aStoppedClientTakesNothing() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        c.stop(now);
        assertThat(c.enqueue(3, frame(3, "{}"), now, ok -> { })).isEqualTo("the client stopped");
    }

    @Test
    void onlySessionRequestsOfTheDialectAreTheApplications() {
        GatewayClientCore c = ready(Dialect.DISCORD);
        for (int op : new int[] {0, 1, 2, 6, 7, 9, 10, 11, 12, 14, 99}) {
            assertThatIllegalArgumentException().as("op %d", op)
                    .isThrownBy(() -> c.enqueue(op, frame(op, "{}"), now, ok -> { }));
        }
        assertThat(GatewayClientCore.isApplicationOp(Dialect.FLUXER, 14)).isTrue();
        assertThat(GatewayClientCore.isApplicationOp(Dialect.DISCORD, 8)).isTrue();
    }
}
