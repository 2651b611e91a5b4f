package dev.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sequence numbers, replay, resume, backpressure and the fluxer buffers of a session. */
class GatewaySessionTest {

    static final GatewayConfig CONFIG = GatewayConfig.defaults();

    long now = 5_000_000;
    final RecordingSink sink = new RecordingSink();

    GatewaySession session(Dialect dialect, int flags, GatewayConfig config) {
        GatewaySession s = new GatewaySession("s", new SessionIdentity(7, false, dialect, -1, Set.of(), flags, 0, 1, 50),
                config, sink, now);
        s.dispatchNow("READY", "{}".getBytes());
        s.goLive(now);
        return s;
    }

    GatewaySession session(Dialect dialect) {
        return session(dialect, 0, CONFIG);
    }

    static byte[] body(int n) {
        return ("{\"n\":" + n + "}").getBytes();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void readyIsSeqOneAndEveryDispatchCountsUp(Dialect dialect) {
        GatewaySession s = session(dialect);
        for (int i = 0; i < 3; i++) {
            assertThat(s.dispatch("MESSAGE_CREATE", body(i), null, now)).isTrue();
        }
        assertThat(sink.seqs()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(sink.types()).containsExactly("READY", "MESSAGE_CREATE", "MESSAGE_CREATE", "MESSAGE_CREATE");
        assertThat(s.seq()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void liveEventsWaitForTheStartSequence(Dialect dialect) {
        GatewaySession s = new GatewaySession("s", new SessionIdentity(7, false, dialect, -1, Set.of(), 0, 0, 1, 50),
                CONFIG, sink, now);
        assertThat(s.dispatch("MESSAGE_CREATE", body(1), null, now)).isFalse();
        s.dispatchNow("READY", "{}".getBytes());
        s.dispatch("MESSAGE_CREATE", body(2), null, now);
        s.dispatchNow("GUILD_CREATE", "{}".getBytes());
        s.goLive(now);
        assertThat(sink.types()).containsExactly("READY", "GUILD_CREATE", "MESSAGE_CREATE", "MESSAGE_CREATE");
        assertThat(sink.written.get(2).body()).isEqualTo("{\"n\":1}");
        assertThat(sink.seqs()).containsExactly(1L, 2L, 3L, 4L);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void resumeReplaysExactlyWhatTheClientMissedThenResumed(Dialect dialect) {
        GatewaySession s = session(dialect);
        for (int i = 0; i < 5; i++) {
            s.dispatch("MESSAGE_CREATE", body(i), null, now);
        }
        s.acknowledge(2);
        s.detach(sink, now);
        for (int i = 5; i < 8; i++) {
            assertThat(s.dispatch("MESSAGE_CREATE", body(i), null, now)).isFalse();
        }
        RecordingSink next = new RecordingSink();
        assertThat(s.resume(next, 3, now + 1_000)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        assertThat(next.seqs()).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(next.written.subList(0, 6).stream().map(w -> w.json().get("n").intValue()).toList())
                .containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(next.types().get(6)).isEqualTo("RESUMED");
        assertThat(next.flushes).isPositive();
        s.dispatch("MESSAGE_CREATE", body(8), null, now);
        assertThat(next.seqs()).endsWith(11L);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void resumeAtTheCurrentSeqReplaysNothing(Dialect dialect) {
        GatewaySession s = session(dialect);
        s.dispatch("MESSAGE_CREATE", body(1), null, now);
        s.acknowledge(2);
        RecordingSink next = new RecordingSink();
        assertThat(s.resume(next, 2, now)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        assertThat(next.types()).containsExactly("RESUMED");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void resumeFromTheFutureOrFromBeforeTheBufferIsRefused(Dialect dialect) {
        GatewaySession s = session(dialect);
        for (int i = 0; i < 5; i++) {
            s.dispatch("MESSAGE_CREATE", body(i), null, now);
        }
        s.acknowledge(4);
        assertThat(s.resume(new RecordingSink(), 7, now)).isEqualTo(GatewaySession.ResumeOutcome.SEQ_AHEAD);
        assertThat(s.resume(new RecordingSink(), 2, now)).isEqualTo(GatewaySession.ResumeOutcome.SEQ_BEHIND);
        assertThat(s.resume(new RecordingSink(), 3, now)).isEqualTo(GatewaySession.ResumeOutcome.SEQ_BEHIND);
        assertThat(s.resume(new RecordingSink(), 4, now)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void resumeTakesTheSessionFromALiveConnection(Dialect dialect) {
        GatewaySession s = session(dialect);
        RecordingSink next = new RecordingSink();
        assertThat(s.resume(next, 1, now)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        assertThat(sink.closedWith).isEqualTo(CloseCode.UNKNOWN_ERROR);
        assertThat(sink.closeReason).contains("another connection");
        assertThat(s.isAttachedTo(next)).isTrue();
        s.detach(sink, now); // the old connection's close must not detach the new one
        assertThat(s.isAttachedTo(next)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theResumeWindowEndsADetachedSession(Dialect dialect) {
        GatewaySession s = session(dialect);
        s.detach(sink, now);
        assertThat(s.isExpired(now + 119_999)).isFalse();
        assertThat(s.isExpired(now + 120_000)).isTrue();
        assertThat(s.resume(new RecordingSink(), 1, now + 120_000)).isEqualTo(GatewaySession.ResumeOutcome.ENDED);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anEndedSessionTakesNothing(Dialect dialect) {
        GatewaySession s = session(dialect);
        List<GatewaySession> ended = new ArrayList<>();
        s.onEnd(ended::add);
        assertThat(s.end(CloseCode.INVALID_SEQ, "gone")).isTrue();
        assertThat(s.end(CloseCode.INVALID_SEQ, "gone")).isFalse();
        assertThat(ended).containsExactly(s);
        assertThat(s.dispatch("MESSAGE_CREATE", body(1), null, now)).isFalse();
        assertThat(s.resume(new RecordingSink(), 1, now)).isEqualTo(GatewaySession.ResumeOutcome.ENDED);
    }

    @Test
    void fluxerClosesWith4013WhenTheAcknowledgementBacklogOverflows() {
        GatewaySession s = session(Dialect.FLUXER);
        for (int i = 0; i < 4095; i++) {
            s.dispatch("MESSAGE_CREATE", body(i), null, now);
        }
        assertThat(s.isEnded()).isFalse();
        s.dispatch("MESSAGE_CREATE", body(4095), null, now);
        assertThat(s.isEnded()).isTrue();
        assertThat(sink.closedWith).isEqualTo(CloseCode.CODE_4013);
        assertThat(sink.closeReason).isEqualTo("Acknowledgement backlog exceeded: kind=events unacked=4097 limit=4096");
    }

    /** More live events than a replay buffer holds arrive before the start sequence ends. */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aStartThatFallsTooFarBehindEndsTheSessionWithTheDialectsCode(Dialect dialect) {
        GatewaySession s = new GatewaySession("s", new SessionIdentity(7, false, dialect, -1, Set.of(), 0, 0, 1, 50),
                CONFIG, sink, now);
        s.dispatchNow("READY", "{}".getBytes());
        for (int i = 0; i < CONFIG.replayEvents(); i++) {
            s.dispatch("MESSAGE_CREATE", body(i), null, now);
        }
        assertThat(s.isEnded()).isFalse();
        s.dispatch("MESSAGE_CREATE", body(-1), null, now);
        assertThat(s.isEnded()).isTrue();
        // never discord's 4013 (invalid intents), after which a client stops for good
        assertThat(sink.closedWith).isEqualTo(dialect == Dialect.FLUXER ? CloseCode.CODE_4013 : CloseCode.UNKNOWN_ERROR);
        assertThat(CloseCode.clientActionFor(dialect, sink.closedWith.code())).isNotEqualTo(CloseCode.ClientAction.STOP);
    }

    @Test
    void fluxerAcknowledgementsMakeRoom() {
        GatewaySession s = session(Dialect.FLUXER);
        for (int i = 0; i < 10_000; i++) {
            s.dispatch("MESSAGE_CREATE", body(i), null, now);
            if (i % 1000 == 0) {
                s.acknowledge(s.seq());
            }
        }
        assertThat(s.isEnded()).isFalse();
        assertThat(s.replayDepth()).isLessThanOrEqualTo(4096);
    }

    @Test
    void fluxerBacklogIsAlsoBoundedInBytes() {
        GatewaySession s = session(Dialect.FLUXER, 0, CONFIG.withReplayLimits(4096, 1_000));
        byte[] big = new byte[300];
        java.util.Arrays.fill(big, (byte) '1');
        for (int i = 0; i < 3; i++) {
            s.dispatch("MESSAGE_CREATE", big, null, now);
        }
        assertThat(s.isEnded()).isFalse();
        s.dispatch("MESSAGE_CREATE", big, null, now);
        assertThat(s.isEnded()).isTrue();
        assertThat(sink.closeReason).startsWith("Acknowledgement backlog exceeded: kind=events unacked=1202 limit=1000");
    }

    @Test
    void discordDropsTheOldestAndRefusesResumesBehindThem() {
        GatewaySession s = session(Dialect.DISCORD);
        for (int i = 0; i < 5_000; i++) {
            s.dispatch("MESSAGE_CREATE", body(i), null, now);
        }
        assertThat(s.isEnded()).isFalse();
        assertThat(s.replayDepth()).isEqualTo(4096);
        long oldestKept = s.seq() - 4096 + 1;
        assertThat(s.resume(new RecordingSink(), oldestKept - 2, now)).isEqualTo(GatewaySession.ResumeOutcome.SEQ_BEHIND);
        RecordingSink next = new RecordingSink();
        assertThat(s.resume(next, oldestKept - 1, now)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        assertThat(next.seqs().subList(0, 4096)).isEqualTo(LongStream.rangeClosed(oldestKept, s.seq() - 1).boxed().toList());
    }

    @Test
    void fluxerDebouncesReactionsIntoOneAddMany() {
        GatewaySession s = session(Dialect.FLUXER, SessionIdentity.FLAG_DEBOUNCE_REACTIONS, CONFIG);
        for (int i = 0; i < 3; i++) {
            assertThat(s.dispatch("MESSAGE_REACTION_ADD", body(i), null, now + i)).isFalse();
        }
        s.dispatch("MESSAGE_CREATE", body(9), null, now);
        assertThat(s.nextDeadline()).isEqualTo(now + 650);
        s.tick(now + 649);
        assertThat(sink.types()).containsExactly("READY", "MESSAGE_CREATE");
        s.tick(now + 650);
        assertThat(sink.types()).containsExactly("READY", "MESSAGE_CREATE", "MESSAGE_REACTION_ADD_MANY");
        assertThat(sink.written.get(2).body()).isEqualTo("{\"reactions\":[{\"n\":0},{\"n\":1},{\"n\":2}]}");
        assertThat(s.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void reactionsPassStraightThroughWithoutTheFlag() {
        GatewaySession s = session(Dialect.FLUXER);
        assertThat(s.dispatch("MESSAGE_REACTION_ADD", body(0), null, now)).isTrue();
        GatewaySession discord = session(Dialect.DISCORD, SessionIdentity.FLAG_DEBOUNCE_REACTIONS, CONFIG);
        assertThat(discord.dispatch("MESSAGE_REACTION_ADD", body(0), null, now)).isTrue();
    }

    @Test
    void reactionBufferOverflowIs4013() {
        GatewaySession s = session(Dialect.FLUXER, SessionIdentity.FLAG_DEBOUNCE_REACTIONS, CONFIG);
        for (int i = 0; i < 512; i++) {
            s.dispatch("MESSAGE_REACTION_ADD", body(i), null, now);
        }
        assertThat(s.isEnded()).isFalse();
        s.dispatch("MESSAGE_REACTION_ADD", body(512), null, now);
        assertThat(s.isEnded()).isTrue();
        assertThat(sink.closeReason).isEqualTo("Acknowledgement backlog exceeded: kind=reactions unacked=513 limit=512");
    }

    @Test
    void fluxerPresencesAreCoalescedAndBounded() {
        GatewaySession s = session(Dialect.FLUXER);
        s.dispatch("PRESENCE_UPDATE", body(1), "user-1", now);
        s.dispatch("PRESENCE_UPDATE", body(2), "user-2", now);
        s.dispatch("PRESENCE_UPDATE", body(3), "user-1", now);
        s.tick(now + 650);
        assertThat(sink.types()).containsExactly("READY", "PRESENCE_UPDATE", "PRESENCE_UPDATE");
        assertThat(sink.written.get(1).body()).isEqualTo("{\"n\":3}");
        assertThat(sink.written.get(2).body()).isEqualTo("{\"n\":2}");
        for (int i = 0; i < 2049; i++) {
            s.dispatch("PRESENCE_UPDATE", body(i), "user-" + i, now + 1_000);
        }
        assertThat(s.isEnded()).isTrue();
        assertThat(sink.closeReason).isEqualTo("Acknowledgement backlog exceeded: kind=presences unacked=2049 limit=2048");
    }

    @Test
    void discordPresencesGoStraightOut() {
        GatewaySession s = session(Dialect.DISCORD);
        assertThat(s.dispatch("PRESENCE_UPDATE", body(1), "user-1", now)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void acknowledgingTheFutureIsRefused(Dialect dialect) {
        GatewaySession s = session(dialect);
        assertThat(s.acknowledge(1)).isTrue();
        assertThat(s.acknowledge(2)).isFalse();
        assertThat(s.acknowledge(-1)).isFalse();
    }

    @Test
    void endingASessionClosesTheConnectionThatStillHoldsIt() {
        RecordingSink attached = new RecordingSink();
        GatewaySession s = new GatewaySession("s", new SessionIdentity(7, false, Dialect.FLUXER, -1, Set.of(), 0, 0, 1, 50),
                CONFIG, attached, now);
        assertThat(s.end(CloseCode.INVALID_SEQ, "ended elsewhere")).isTrue();
        assertThat(attached.closedWith).isEqualTo(CloseCode.INVALID_SEQ);
    }

    @Test
    void aDetachedSessionExpiresInOneStepAndAResumedOneDoesNot() {
        GatewaySession s = session(Dialect.DISCORD);
        s.detach(sink, now);
        assertThat(s.expireIfDue(now + 1_000)).isFalse();
        assertThat(s.resume(new RecordingSink(), 0, now + 119_000)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        assertThat(s.expireIfDue(now + 500_000)).as("attached again: no expiry").isFalse();
        assertThat(s.isEnded()).isFalse();
    }

    @Test
    void aFluxerBatchAsksTheConnectionToWakeWhenItIsDue() {
        RecordingSink attached = new RecordingSink();
        GatewaySession s = new GatewaySession("s", new SessionIdentity(7, false, Dialect.FLUXER, -1, Set.of(), 0, 0, 1, 50),
                CONFIG, attached, now);
        s.goLive(now);
        s.dispatch("PRESENCE_UPDATE", body(1), "user:1", now);
        s.dispatch("PRESENCE_UPDATE", body(2), "user:2", now + 10);
        assertThat(attached.wakeUps).as("once per batch, at its due time").containsExactly(now + CONFIG.batchFlushMs());
        s.detach(attached, now + 20);
        RecordingSink next = new RecordingSink();
        assertThat(s.resume(next, 0, now + 30)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        assertThat(next.wakeUps).as("the new connection is told of the batch still pending").containsExactly(now + CONFIG.batchFlushMs());
    }
}
