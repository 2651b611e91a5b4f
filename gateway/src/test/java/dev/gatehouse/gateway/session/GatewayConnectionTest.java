package dev.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Identify;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import dev.gatehouse.protocol.gateway.Resume;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The connection state machine with a fake clock: every lifecycle path, close code and limit. */
class GatewayConnectionTest {

    static final long ALL_INTENTS = (1L << 26) - 1;
    static final GatewayConfig CONFIG = GatewayConfig.defaults();

    long now = 1_000_000;
    final RecordingIO io = new RecordingIO();
    final RecordingSink sink = new RecordingSink();

    GatewayConnection open(Dialect dialect) {
        GatewayConnection c = new GatewayConnection(dialect, CONFIG, io, sink, ALL_INTENTS, now);
        c.open();
        return c;
    }

    void send(GatewayConnection c, String json) {
        c.receive(json.getBytes(StandardCharsets.UTF_8), now);
    }

    static String identify(Dialect dialect) {
        return dialect == Dialect.DISCORD
                ? "{\"op\":2,\"d\":{\"token\":\"t\",\"properties\":{\"os\":\"linux\",\"browser\":\"x\",\"device\":\"x\"},\"intents\":513}}"
                : "{\"op\":2,\"d\":{\"token\":\"t\",\"properties\":{\"os\":\"linux\"}}}";
    }

    GatewaySession ready(GatewayConnection c, Dialect dialect) {
        send(c, identify(dialect));
        assertThat(c.state()).isEqualTo(GatewayConnection.State.IDENTIFYING);
        GatewaySession s = new GatewaySession("s1", new SessionIdentity(42, true, dialect, 513, Set.of(), 0, 0, 1, 50),
                CONFIG, sink, now);
        c.identified(s, now);
        s.dispatchNow("READY", "{}".getBytes());
        s.goLive(now);
        assertThat(c.state()).isEqualTo(GatewayConnection.State.READY);
        return s;
    }

    void assertClosed(GatewayConnection c, CloseCode code) {
        assertThat(c.state()).isEqualTo(GatewayConnection.State.CLOSED);
        assertThat(io.closeCode).as("close code, reason %s", io.closeReason).isEqualTo(code.code());
        assertThat(io.closeReason).isNotBlank();
        assertThat(io.closes).isEqualTo(1);
    }

    // ---- hello and heartbeat -----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void helloCarriesTheHeartbeatInterval(Dialect dialect) {
        open(dialect);
        assertThat(io.sent).hasSize(1);
        assertThat(io.last().get("op").intValue()).isEqualTo(10);
        assertThat(io.last().at("/d/heartbeat_interval").longValue()).isEqualTo(41_250);
        assertThat(io.last().get("s").isNull()).isTrue();
        assertThat(io.last().get("t").isNull()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyHeartbeatIsAcknowledged(Dialect dialect) {
        GatewayConnection c = open(dialect);
        send(c, "{\"op\":1,\"d\":null}");
        send(c, "{\"op\":1,\"d\":17}"); // before a session: the seq of an earlier one is fine
        assertThat(io.sentOps()).containsExactly(10, 11, 11);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void heartbeatAcknowledgesDispatchesAndRejectsSeqFromTheFuture(Dialect dialect) {
        GatewayConnection c = open(dialect);
        GatewaySession s = ready(c, dialect);
        s.dispatch("MESSAGE_CREATE", "{}".getBytes(), null, now);
        assertThat(s.replayDepth()).isEqualTo(2);
        send(c, "{\"op\":1,\"d\":2}");
        assertThat(s.replayDepth()).isZero();
        send(c, "{\"op\":1,\"d\":3}");
        assertClosed(c, CloseCode.INVALID_SEQ);
        assertThat(s.isEnded()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void heartbeatSeqMustBeAnInteger(Dialect dialect) {
        GatewayConnection c = open(dialect);
        send(c, "{\"op\":1,\"d\":\"12\"}");
        assertClosed(c, CloseCode.INVALID_SEQ);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void serverAsksForAHeartbeatAtNinetyPercentThenTimesOutAt45Seconds(Dialect dialect) {
        GatewayConnection c = open(dialect);
        ready(c, dialect);
        assertThat(c.nextDeadline()).isEqualTo(now + 37_125);
        now += 37_124;
        c.tick(now);
        assertThat(io.sentOps()).doesNotContain(1);
        now += 1;
        c.tick(now);
        assertThat(io.last().get("op").intValue()).isEqualTo(1);
        assertThat(c.nextDeadline()).isEqualTo(now - 37_125 + 45_000);
        now += 7_874;
        c.tick(now);
        assertThat(c.state()).isEqualTo(GatewayConnection.State.READY);
        now += 1;
        c.tick(now);
        assertClosed(c, CloseCode.SESSION_TIMED_OUT);
        assertThat(c.session().isEnded()).as("4009 keeps the session").isFalse();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void answeringTheRequestMeasuresTheRoundTripAndResetsTheClock(Dialect dialect) {
        GatewayConnection c = open(dialect);
        ready(c, dialect);
        now += 37_125;
        c.tick(now);
        now += 120;
        send(c, "{\"op\":1,\"d\":1}");
        assertThat(io.roundTrips).containsExactly(120L);
        now += 44_000;
        c.tick(now);
        assertThat(c.state()).isEqualTo(GatewayConnection.State.READY);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aConnectionThatNeverAuthenticatesTimesOut(Dialect dialect) {
        GatewayConnection c = open(dialect);
        for (int i = 0; i < 10; i++) {
            now += 4_400;
            send(c, "{\"op\":1,\"d\":null}");
            c.tick(now);
        }
        assertThat(c.state()).isEqualTo(GatewayConnection.State.AWAITING_AUTH);
        now += 1_000;
        c.tick(now);
        assertClosed(c, CloseCode.SESSION_TIMED_OUT);
    }

    // ---- decoding and opcodes ----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void framesOver4096BytesAreDecodeErrors(Dialect dialect) {
        GatewayConnection c = open(dialect);
        String padding = "x".repeat(4096);
        send(c, "{\"op\":1,\"d\":null,\"pad\":\"" + padding + "\"}");
        assertClosed(c, CloseCode.DECODE_ERROR);
        assertThat(io.closeReason).contains("too large");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aFrameOfExactly4096BytesIsAccepted(Dialect dialect) {
        GatewayConnection c = open(dialect);
        String head = "{\"op\":1,\"d\":null,\"pad\":\"";
        String frame = head + "x".repeat(4096 - head.length() - 2) + "\"}";
        assertThat(frame.length()).isEqualTo(4096);
        send(c, frame);
        assertThat(c.state()).isEqualTo(GatewayConnection.State.AWAITING_AUTH);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void malformedFramesAreDecodeErrors(Dialect dialect) {
        for (String bad : new String[] {"{", "[]", "42", "{\"d\":null}", "{\"op\":\"1\",\"d\":null}", "{\"op\":1.5,\"d\":null}",
                "{\"op\":99999999999,\"d\":null}", "\u0000", "[".repeat(3000)}) {
            RecordingIO fresh = new RecordingIO();
            GatewayConnection c = new GatewayConnection(dialect, CONFIG, fresh, sink, ALL_INTENTS, now);
            c.receive(bad.getBytes(StandardCharsets.UTF_8), now);
            assertThat(fresh.closeCode).as(bad).isEqualTo(4002);
        }
    }

    @Test
    void fluxerRequiresTheDField() {
        GatewayConnection c = open(Dialect.FLUXER);
        send(c, "{\"op\":1}");
        assertClosed(c, CloseCode.DECODE_ERROR);
    }

    @Test
    void discordTreatsAMissingDAsNull() {
        GatewayConnection c = open(Dialect.DISCORD);
        send(c, "{\"op\":1}");
        assertThat(io.sentOps()).containsExactly(10, 11);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void opcodesClientsMayNotSendAreUnknown(Dialect dialect) {
        for (int op : new int[] {0, 5, 7, 9, 10, 11, 12, 13, 15, -1, 200}) {
            RecordingIO fresh = new RecordingIO();
            GatewayConnection c = new GatewayConnection(dialect, CONFIG, fresh, sink, ALL_INTENTS, now);
            c.receive(("{\"op\":" + op + ",\"d\":null}").getBytes(), now);
            assertThat(fresh.closeCode).as("op %d", op).isEqualTo(4001);
        }
    }

    @Test
    void lazyRequestIsUnknownInTheDiscordDialect() {
        GatewayConnection c = open(Dialect.DISCORD);
        ready(c, Dialect.DISCORD);
        send(c, "{\"op\":14,\"d\":{}}");
        assertClosed(c, CloseCode.UNKNOWN_OPCODE);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void sessionOpcodesNeedAuthentication(Dialect dialect) {
        int[] ops = dialect == Dialect.FLUXER ? new int[] {3, 4, 8, 14} : new int[] {3, 4, 8};
        for (int op : ops) {
            RecordingIO fresh = new RecordingIO();
            GatewayConnection c = new GatewayConnection(dialect, CONFIG, fresh, sink, ALL_INTENTS, now);
            c.receive(("{\"op\":" + op + ",\"d\":{}}").getBytes(), now);
            assertThat(fresh.closeCode).as("op %d", op).isEqualTo(4003);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void sessionOpcodesWaitForTheIdentifyToFinish(Dialect dialect) {
        GatewayConnection c = open(dialect);
        send(c, identify(dialect));
        send(c, "{\"op\":3,\"d\":{}}");
        assertClosed(c, CloseCode.NOT_AUTHENTICATED);
    }

    // ---- identify and resume -----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void identifyIsHandedOnParsed(Dialect dialect) {
        GatewayConnection c = open(dialect);
        send(c, dialect == Dialect.DISCORD
                ? "{\"op\":2,\"d\":{\"token\":\"abc\",\"intents\":3,\"large_threshold\":100,\"shard\":[1,4],\"compress\":true}}"
                : "{\"op\":2,\"d\":{\"token\":\"abc\",\"ignored_events\":[\"TYPING_START\"],\"flags\":2,\"shard\":[1,4]}}");
        Identify id = io.identifies.get(0);
        assertThat(id.token()).isEqualTo("abc");
        assertThat(id.shardId()).isEqualTo(1);
        assertThat(id.shardCount()).isEqualTo(4);
        if (dialect == Dialect.DISCORD) {
            assertThat(id.intents()).isEqualTo(3);
            assertThat(id.largeThreshold()).isEqualTo(100);
            assertThat(id.compress()).isTrue();
        } else {
            assertThat(id.ignoredEvents()).containsExactly("TYPING_START");
            assertThat(id.flags()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aSecondIdentifyIsAlreadyAuthenticated(Dialect dialect) {
        GatewayConnection c = open(dialect);
        GatewaySession s = ready(c, dialect);
        send(c, identify(dialect));
        assertClosed(c, CloseCode.ALREADY_AUTHENTICATED);
        assertThat(s.isEnded()).as("4005 keeps the session").isFalse();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void identifyWhileIdentifyingIsAlreadyAuthenticated(Dialect dialect) {
        GatewayConnection c = open(dialect);
        send(c, identify(dialect));
        send(c, identify(dialect));
        assertClosed(c, CloseCode.ALREADY_AUTHENTICATED);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void identifyAfterResumeIsAlreadyAuthenticated(Dialect dialect) {
        GatewayConnection c = open(dialect);
        send(c, "{\"op\":6,\"d\":{\"token\":\"t\",\"session_id\":\"s1\",\"seq\":0}}");
        assertThat(io.resumes).containsExactly(new Resume("t", "s1", 0));
        GatewaySession s = new GatewaySession("s1", new SessionIdentity(42, true, dialect, 513, Set.of(), 0, 0, 1, 50),
                CONFIG, sink, now);
        assertThat(c.resumeWith(s, now)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        send(c, identify(dialect));
        assertClosed(c, CloseCode.ALREADY_AUTHENTICATED);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void malformedResumeIsADecodeError(Dialect dialect) {
        for (String d : new String[] {"null", "{}", "{\"token\":\"t\",\"session_id\":\"s\"}", "{\"token\":\"t\",\"session_id\":\"s\",\"seq\":-1}",
                "{\"token\":1,\"session_id\":\"s\",\"seq\":1}", "{\"token\":\"t\",\"session_id\":\"" + "s".repeat(200) + "\",\"seq\":1}"}) {
            RecordingIO fresh = new RecordingIO();
            GatewayConnection c = new GatewayConnection(dialect, CONFIG, fresh, sink, ALL_INTENTS, now);
            c.receive(("{\"op\":6,\"d\":" + d + "}").getBytes(), now);
            assertThat(fresh.closeCode).as(d).isEqualTo(4002);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void invalidShardsClose4010(Dialect dialect) {
        for (String shard : new String[] {"[0,0]", "[-1,2]", "[2,2]", "[5,1]"}) {
            RecordingIO fresh = new RecordingIO();
            GatewayConnection c = new GatewayConnection(dialect, CONFIG, fresh, sink, ALL_INTENTS, now);
            c.receive(("{\"op\":2,\"d\":{\"token\":\"t\",\"intents\":1,\"shard\":" + shard + "}}").getBytes(), now);
            assertThat(fresh.closeCode).as(shard).isEqualTo(4010);
        }
    }

    /** Oceanic.js sends its transport compression's name as {@code compress}; Discord lets it pass. */
    @Test
    void nonBooleanCompressMeansNoPayloadCompression() {
        GatewayConnection c = open(Dialect.DISCORD);
        send(c, "{\"op\":2,\"d\":{\"token\":\"abc\",\"intents\":3,\"compress\":\"zlib-stream\",\"presence\":null}}");
        assertThat(io.closeCode).isNull();
        assertThat(io.identifies.get(0).compress()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void malformedIdentifyFieldsAreDecodeErrors(Dialect dialect) {
        for (String d : new String[] {"\"x\"", "{\"intents\":1}", "{\"token\":5,\"intents\":1}", "{\"token\":\"t\",\"intents\":1,\"shard\":[1]}",
                "{\"token\":\"t\",\"intents\":1,\"shard\":\"0,1\"}", "{\"token\":\"t\",\"intents\":1,\"large_threshold\":49}",
                "{\"token\":\"t\",\"intents\":1,\"large_threshold\":251}", "{\"token\":\"t\",\"intents\":1,\"properties\":[]}",
                "{\"token\":\"t\",\"intents\":1,\"presence\":5}"}) {
            RecordingIO fresh = new RecordingIO();
            GatewayConnection c = new GatewayConnection(dialect, CONFIG, fresh, sink, ALL_INTENTS, now);
            c.receive(("{\"op\":2,\"d\":" + d + "}").getBytes(), now);
            assertThat(fresh.closeCode).as(d).isEqualTo(4002);
        }
    }

    @Test
    void discordIntentsAreRequiredAndMustBeKnown() {
        for (String d : new String[] {"{\"token\":\"t\"}", "{\"token\":\"t\",\"intents\":null}", "{\"token\":\"t\",\"intents\":-1}",
                "{\"token\":\"t\",\"intents\":\"1\"}", "{\"token\":\"t\",\"intents\":" + (1L << 40) + "}"}) {
            RecordingIO fresh = new RecordingIO();
            GatewayConnection c = new GatewayConnection(Dialect.DISCORD, CONFIG, fresh, sink, ALL_INTENTS, now);
            c.receive(("{\"op\":2,\"d\":" + d + "}").getBytes(), now);
            assertThat(fresh.closeCode).as(d).isEqualTo(4013);
        }
    }

    @Test
    void fluxerNeedsNoIntentsButBoundsIgnoredEvents() {
        GatewayConnection c = open(Dialect.FLUXER);
        send(c, "{\"op\":2,\"d\":{\"token\":\"t\"}}");
        assertThat(io.identifies).hasSize(1);
        StringBuilder names = new StringBuilder("[");
        for (int i = 0; i < 257; i++) {
            names.append(i == 0 ? "" : ",").append("\"E").append(i).append('"');
        }
        RecordingIO fresh = new RecordingIO();
        GatewayConnection big = new GatewayConnection(Dialect.FLUXER, CONFIG, fresh, sink, ALL_INTENTS, now);
        big.receive(("{\"op\":2,\"d\":{\"token\":\"t\",\"ignored_events\":" + names + "]}}").getBytes(), now);
        assertThat(fresh.closeCode).isEqualTo(4002);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void invalidSessionLetsTheClientIdentifyAgain(Dialect dialect) {
        GatewayConnection c = open(dialect);
        send(c, identify(dialect));
        c.invalidSession(false);
        assertThat(io.last().get("op").intValue()).isEqualTo(9);
        assertThat(io.last().get("d").booleanValue()).isFalse();
        send(c, identify(dialect));
        assertThat(io.identifies).hasSize(2);
        assertThat(c.state()).isEqualTo(GatewayConnection.State.IDENTIFYING);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void rejectedIdentifyCloses(Dialect dialect) {
        GatewayConnection c = open(dialect);
        send(c, identify(dialect));
        c.reject(CloseCode.AUTHENTICATION_FAILED, "Authentication failed");
        assertClosed(c, CloseCode.AUTHENTICATION_FAILED);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aSessionIdentifiedAfterTheClientLeftStaysResumable(Dialect dialect) {
        GatewayConnection c = open(dialect);
        send(c, identify(dialect));
        c.lost(now);
        GatewaySession s = new GatewaySession("s1", new SessionIdentity(42, true, dialect, 513, Set.of(), 0, 0, 1, 50),
                CONFIG, sink, now);
        c.identified(s, now);
        assertThat(s.isAttached()).isFalse();
        assertThat(s.isEnded()).isFalse();
    }

    // ---- frame rate limit --------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void more120FramesIn60SecondsIsRateLimitedAndEndsTheSession(Dialect dialect) {
        GatewayConnection c = open(dialect);
        GatewaySession s = ready(c, dialect); // the identify was frame 1
        for (int i = 0; i < 119; i++) {
            now += 10;
            send(c, "{\"op\":1,\"d\":null}");
        }
        assertThat(c.state()).isEqualTo(GatewayConnection.State.READY);
        send(c, "{\"op\":1,\"d\":null}");
        assertClosed(c, CloseCode.RATE_LIMITED);
        assertThat(s.isEnded()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theFrameWindowRollsOver(Dialect dialect) {
        GatewayConnection c = open(dialect);
        ready(c, dialect);
        for (int i = 0; i < 119; i++) {
            send(c, "{\"op\":1,\"d\":null}");
        }
        now += 60_000;
        for (int i = 0; i < 120; i++) {
            send(c, "{\"op\":1,\"d\":null}");
        }
        assertThat(c.state()).isEqualTo(GatewayConnection.State.READY);
    }

    // ---- op 8, 4, 3 limits -------------------------------------------------------------------

    @Test
    void fluxerClosesOnTheFourthMemberRequestIn10Seconds() {
        GatewayConnection c = open(Dialect.FLUXER);
        GatewaySession s = ready(c, Dialect.FLUXER);
        for (int i = 0; i < 3; i++) {
            send(c, "{\"op\":8,\"d\":{\"guild_id\":\"1\",\"query\":\"\",\"limit\":0}}");
        }
        assertThat(io.requests).hasSize(3);
        send(c, "{\"op\":8,\"d\":{\"guild_id\":\"1\",\"query\":\"\",\"limit\":0}}");
        assertClosed(c, CloseCode.RATE_LIMITED);
        assertThat(s.isEnded()).isTrue();
    }

    @Test
    void discordAnswersRateLimitedInsteadOfClosing() {
        GatewayConnection c = open(Dialect.DISCORD);
        ready(c, Dialect.DISCORD);
        for (int i = 0; i < 3; i++) {
            send(c, "{\"op\":8,\"d\":{\"guild_id\":\"1\",\"query\":\"\",\"limit\":0}}");
        }
        now += 2_500;
        send(c, "{\"op\":8,\"d\":{\"guild_id\":\"77\",\"query\":\"\",\"limit\":0,\"nonce\":\"n-1\"}}");
        assertThat(c.state()).isEqualTo(GatewayConnection.State.READY);
        assertThat(io.requests).hasSize(3);
        RecordingSink.Written w = sink.written.get(sink.written.size() - 1);
        assertThat(w.type()).isEqualTo("RATE_LIMITED");
        assertThat(w.json().get("opcode").intValue()).isEqualTo(8);
        assertThat(w.json().get("retry_after").doubleValue()).isEqualTo(7.5);
        assertThat(w.json().at("/meta/guild_id").asText()).isEqualTo("77");
        assertThat(w.json().at("/meta/nonce").asText()).isEqualTo("n-1");
        now += 7_500;
        send(c, "{\"op\":8,\"d\":{\"guild_id\":\"1\",\"query\":\"\",\"limit\":0}}");
        assertThat(io.requests).hasSize(4);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void voiceStatesBeyondTenPerSecondAreQueuedThenDrainedInOrder(Dialect dialect) {
        GatewayConnection c = open(dialect);
        ready(c, dialect);
        for (int i = 0; i < 80; i++) {
            send(c, "{\"op\":4,\"d\":{\"n\":" + i + "}}");
            if (i % 20 == 19) {
                now += 1; // stay within one second of windows while not tripping the frame limit
            }
        }
        assertThat(io.requests).hasSize(10);
        // 70 queued, the queue holds 64: the 6 oldest queued (10..15) are dropped
        for (int second = 1; second <= 7; second++) {
            now += 1_000;
            c.tick(now);
        }
        assertThat(io.requests).hasSize(74);
        assertThat(io.requests.stream().map(r -> r.d().get("n").intValue()).toList().subList(9, 12)).containsExactly(9, 16, 17);
        assertThat(io.requests.get(73).d().get("n").intValue()).isEqualTo(79);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void presenceUpdatesBeyondFivePer20SecondsKeepOnlyTheLatest(Dialect dialect) {
        GatewayConnection c = open(dialect);
        ready(c, dialect);
        for (int i = 0; i < 9; i++) {
            send(c, "{\"op\":3,\"d\":{\"n\":" + i + "}}");
        }
        assertThat(io.requests).hasSize(5);
        now += 19_999;
        c.tick(now);
        assertThat(io.requests).hasSize(5);
        now += 1;
        c.tick(now);
        assertThat(io.requests).hasSize(6);
        assertThat(io.requests.get(5).d().get("n").intValue()).isEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMalformedRequestClosesWithItsCode(Dialect dialect) {
        GatewayConnection c = open(dialect);
        ready(c, dialect);
        io.failNextRequest = new ProtocolViolation(CloseCode.DECODE_ERROR, "guild_id must be a snowflake");
        send(c, "{\"op\":8,\"d\":{}}");
        assertClosed(c, CloseCode.DECODE_ERROR);
        assertThat(io.closeReason).isEqualTo("guild_id must be a snowflake");
    }

    // ---- ends --------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void clientClose1000And1001EndTheSession(Dialect dialect) {
        for (int code : new int[] {1000, 1001}) {
            GatewayConnection c = open(dialect);
            GatewaySession s = ready(c, dialect);
            c.closedByClient(code, now);
            assertThat(s.isEnded()).as("close %d", code).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void otherClientClosesAndDroppedSocketsKeepTheSession(Dialect dialect) {
        for (int code : new int[] {4000, 4200, 1006, 1011}) {
            GatewayConnection c = open(dialect);
            GatewaySession s = ready(c, dialect);
            c.closedByClient(code, now);
            assertThat(s.isEnded()).as("close %d", code).isFalse();
            assertThat(s.isAttached()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void serverCloseCodesEndTheSessionExactlyAsTheTableSays(Dialect dialect) {
        for (CloseCode code : CloseCode.values()) {
            RecordingIO fresh = new RecordingIO();
            RecordingSink freshSink = new RecordingSink();
            GatewayConnection c = new GatewayConnection(dialect, CONFIG, fresh, freshSink, ALL_INTENTS, now);
            c.receive(identify(dialect).getBytes(), now);
            GatewaySession s = new GatewaySession("s", new SessionIdentity(1, true, dialect, 513, Set.of(), 0, 0, 1, 50),
                    CONFIG, freshSink, now);
            c.identified(s, now);
            c.close(code, code.meaning(dialect));
            assertThat(s.isEnded()).as("%s", code).isEqualTo(code.endsSession());
            assertThat(fresh.closeCode).isEqualTo(code.code());
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void reconnectSendsOp7ThenClosesKeepingTheSession(Dialect dialect) {
        GatewayConnection c = open(dialect);
        GatewaySession s = ready(c, dialect);
        c.reconnect("Server is restarting");
        assertThat(io.last().get("op").intValue()).isEqualTo(7);
        assertClosed(c, CloseCode.UNKNOWN_ERROR);
        assertThat(s.isEnded()).isFalse();
        assertThat(s.isAttached()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void nothingHappensAfterClose(Dialect dialect) {
        GatewayConnection c = open(dialect);
        c.close(CloseCode.DECODE_ERROR, "x");
        int sent = io.sent.size();
        send(c, identify(dialect));
        c.tick(now + 100_000);
        c.close(CloseCode.UNKNOWN_ERROR, "again");
        assertThat(io.sent).hasSize(sent);
        assertThat(io.closes).isEqualTo(1);
        assertThat(c.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aConnectionTheSessionMovedAwayFromCannotEndIt(Dialect dialect) {
        GatewayConnection old = open(dialect);
        GatewaySession s = ready(old, dialect);
        RecordingSink newer = new RecordingSink();
        assertThat(s.resume(newer, 1, now)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        // the old client says goodbye before the server's 4000 reached it
        old.closedByClient(1000, now);
        assertThat(s.isEnded()).isFalse();
        GatewayConnection another = open(dialect);
        GatewaySession s2 = ready(another, dialect);
        s2.resume(new RecordingSink(), 1, now);
        another.close(CloseCode.RATE_LIMITED, "late");
        assertThat(s2.isEnded()).as("4008 on a connection that lost the session ends nothing").isFalse();
    }

    @Test
    void etfConnectionsDecodeEtfAndRefuseJson() throws Exception {
        GatewayConnection c = new GatewayConnection(Dialect.DISCORD, dev.gatehouse.protocol.gateway.Encoding.ETF, CONFIG, io, sink,
                ALL_INTENTS, now);
        c.open();
        c.receive(dev.gatehouse.protocol.etf.Etf.encode(dev.gatehouse.protocol.Json.mapper().readTree(identify(Dialect.DISCORD))), now);
        assertThat(io.identifies).hasSize(1);
        assertThat(io.identifies.get(0).intents()).isEqualTo(513);
        RecordingIO fresh = new RecordingIO();
        GatewayConnection json = new GatewayConnection(Dialect.DISCORD, dev.gatehouse.protocol.gateway.Encoding.ETF, CONFIG, fresh,
                sink, ALL_INTENTS, now);
        json.receive("{\"op\":1,\"d\":null}".getBytes(StandardCharsets.UTF_8), now);
        assertThat(fresh.closeCode).isEqualTo(4002);
        assertThat(fresh.closeReason).startsWith("Invalid ETF");
    }

    // ---- what identify and resume outcomes become on the wire, per dialect (docs/PROTOCOL.md §4.3-4.4)

    GatewaySession detachedSession(Dialect dialect, int dispatches) {
        GatewaySession s = new GatewaySession("s1", new SessionIdentity(42, true, dialect, 513, Set.of(), 0, 0, 1, 50),
                CONFIG, sink, now);
        s.goLive(now);
        for (int i = 0; i < dispatches; i++) {
            s.dispatch("MESSAGE_CREATE", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), null, now);
        }
        s.detach(sink, now);
        return s;
    }

    GatewayConnection resuming(Dialect dialect, long seq) {
        GatewayConnection c = open(dialect);
        send(c, "{\"op\":6,\"d\":{\"token\":\"t\",\"session_id\":\"s1\",\"seq\":" + seq + "}}");
        return c;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aResumeOfAKeptSessionReplaysAndIsReady(Dialect dialect) {
        GatewaySession s = detachedSession(dialect, 3);
        GatewayConnection c = resuming(dialect, 1);
        assertThat(c.resumeWith(s, now)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        assertThat(c.state()).isEqualTo(GatewayConnection.State.READY);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anUnknownOrOtherDialectsSessionIsOp9InBoth(Dialect dialect) {
        GatewayConnection c = resuming(dialect, 1);
        assertThat(c.resumeWith(null, now)).isEqualTo(GatewaySession.ResumeOutcome.UNKNOWN);
        assertThat(io.sentOps()).contains(9);
        Dialect other = dialect == Dialect.FLUXER ? Dialect.DISCORD : Dialect.FLUXER;
        GatewayConnection d = resuming(dialect, 1);
        assertThat(d.resumeWith(detachedSession(other, 3), now)).isEqualTo(GatewaySession.ResumeOutcome.UNKNOWN);
        assertThat(d.state()).as("may identify on this connection").isEqualTo(GatewayConnection.State.AWAITING_AUTH);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aSeqAheadIs4007EndingTheSessionInFluxerAndOp9InDiscord(Dialect dialect) {
        GatewaySession s = detachedSession(dialect, 3);
        GatewayConnection c = resuming(dialect, 9);
        assertThat(c.resumeWith(s, now)).isEqualTo(GatewaySession.ResumeOutcome.SEQ_AHEAD);
        if (dialect == Dialect.FLUXER) {
            assertClosed(c, CloseCode.INVALID_SEQ);
            assertThat(s.isEnded()).isTrue();
        } else {
            assertThat(io.sentOps()).contains(9);
            assertThat(c.state()).isEqualTo(GatewayConnection.State.AWAITING_AUTH);
            assertThat(s.isEnded()).as("discord keeps the session for a correct resume").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anEndedSessionIsOp9InBoth(Dialect dialect) {
        GatewaySession s = detachedSession(dialect, 3);
        s.end(CloseCode.INVALID_SEQ, "gone");
        GatewayConnection c = resuming(dialect, 1);
        assertThat(c.resumeWith(s, now)).isEqualTo(GatewaySession.ResumeOutcome.ENDED);
        assertThat(io.sentOps()).contains(9);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aResumeWhoseConnectionLeftMeanwhileDecidesNothing(Dialect dialect) {
        GatewaySession s = detachedSession(dialect, 3);
        GatewayConnection c = resuming(dialect, 1);
        c.lost(now);
        assertThat(c.resumeWith(s, now)).isNull();
        assertThat(s.isAttached()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void identifyRefusalsBecomeTheirCodesAndOverTheLimitsIsOp9(Dialect dialect) {
        Map<IdentifyRefusal, CloseCode> closes = Map.of(IdentifyRefusal.AUTHENTICATION_FAILED, CloseCode.AUTHENTICATION_FAILED,
                IdentifyRefusal.DISALLOWED_INTENTS, CloseCode.DISALLOWED_INTENTS,
                IdentifyRefusal.SHARDING_REQUIRED, CloseCode.SHARDING_REQUIRED);
        for (Map.Entry<IdentifyRefusal, CloseCode> e : closes.entrySet()) {
            GatewayConnection c = open(dialect);
            send(c, identify(dialect));
            c.refuseIdentify(e.getKey(), "no");
            assertThat(c.state()).isEqualTo(GatewayConnection.State.CLOSED);
            assertThat(io.closeCode).as("%s", e.getKey()).isEqualTo(e.getValue().code());
        }
        GatewayConnection c = open(dialect);
        send(c, identify(dialect));
        c.refuseIdentify(IdentifyRefusal.OVER_LIMIT, "later");
        assertThat(io.sentOps()).contains(9);
        assertThat(c.state()).as("may identify again").isEqualTo(GatewayConnection.State.AWAITING_AUTH);
    }
}
