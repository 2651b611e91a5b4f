package dev.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.gateway.presence.SessionPresence;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.Activity;
import dev.gatehouse.protocol.gateway.PresenceUpdate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A session moving between nodes: exported on one, read back on another, resumed with exact replay. */
class SessionStateTest {

    static final GatewayConfig CONFIG = GatewayConfig.defaults();
    long now = 9_000_000;

    static byte[] body(int n) {
        return ("{\"id\":\"" + n + "\",\"content\":\"m" + n + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aHandedOverSessionNumbersOnAndReplaysWhatTheClientHasNotAcknowledged() {
        RecordingSink old = new RecordingSink();
        GatewaySession there = new GatewaySession("abc123", new SessionIdentity(7, true, Dialect.DISCORD, 513, Set.of(), 0, 1, 4, 100),
                CONFIG, old, now);
        there.dispatchNow("READY", "{}".getBytes());
        there.goLive(now);
        for (int i = 0; i < 5; i++) {
            there.dispatch("MESSAGE_CREATE", body(i), null, now);
        }
        there.acknowledge(3); // the client has READY and two messages for sure

        SessionPresence dnd = new SessionPresence(new PresenceUpdate("dnd", List.of(new Activity("Chess", 0, "thinking", null)), true),
                "desktop");
        SessionState exported = there.export(Map.of(7L, 12L, 99L, 40L), Set.of(99L), dnd);
        SessionState read = SessionState.fromJson(exported.toJson());
        assertThat(read.id()).isEqualTo("abc123");
        assertThat(read.identity()).isEqualTo(exported.identity());
        assertThat(read.seq()).isEqualTo(6);
        assertThat(read.positions()).isEqualTo(Map.of(7L, 12L, 99L, 40L));
        assertThat(read.guilds()).containsExactly(99L);
        assertThat(read.presence()).as("the presence it set goes along").isEqualTo(dnd);
        assertThat(read.replay()).extracting(SessionState.Dispatch::seq).containsExactly(4L, 5L, 6L);

        GatewaySession here = GatewaySession.restore(read, CONFIG, now + 10);
        assertThat(here.isLive()).isTrue();
        assertThat(here.isAttached()).isFalse();
        here.dispatch("MESSAGE_CREATE", body(5), null, now + 20); // arrived before the client did
        RecordingSink fresh = new RecordingSink();
        assertThat(here.resume(fresh, 4, now + 30)).isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        assertThat(fresh.seqs()).containsExactly(5L, 6L, 7L, 8L);
        assertThat(fresh.types()).containsExactly("MESSAGE_CREATE", "MESSAGE_CREATE", "MESSAGE_CREATE", "RESUMED");
        assertThat(fresh.written.get(0).json().get("content").asText()).isEqualTo("m3");
        assertThat(fresh.written.get(2).json().get("content").asText()).isEqualTo("m5");
    }

    @Test
    void aResumeFromBeforeWhatWasHandedOverIsRefusedAsOnTheOldNode() {
        GatewaySession there = new GatewaySession("s", new SessionIdentity(7, false, Dialect.FLUXER, -1, Set.of("TYPING_START"), 2, 0, 1, 50),
                CONFIG, new RecordingSink(), now);
        there.dispatchNow("READY", "{}".getBytes());
        there.goLive(now);
        there.dispatch("MESSAGE_CREATE", body(1), null, now);
        there.acknowledge(2);
        GatewaySession here = GatewaySession.restore(SessionState.fromJson(there.export(Map.of(), Set.of(), SessionPresence.DEFAULT).toJson()), CONFIG, now);
        assertThat(here.identity().ignoredEvents()).containsExactly("TYPING_START");
        assertThat(here.identity().debouncesReactions()).isTrue();
        assertThat(here.resume(new RecordingSink(), 0, now)).isEqualTo(GatewaySession.ResumeOutcome.SEQ_BEHIND);
        assertThat(here.resume(new RecordingSink(), 9, now)).isEqualTo(GatewaySession.ResumeOutcome.SEQ_AHEAD);
    }

    @Test
    void pendingReactionBatchesAreNumberedBeforeTheSessionLeaves() {
        GatewaySession there = new GatewaySession("s", new SessionIdentity(7, false, Dialect.FLUXER, -1, Set.of(),
                SessionIdentity.FLAG_DEBOUNCE_REACTIONS, 0, 1, 50), CONFIG, new RecordingSink(), now);
        there.dispatchNow("READY", "{}".getBytes());
        there.goLive(now);
        there.dispatch("MESSAGE_REACTION_ADD", body(1), null, now);
        SessionState state = there.export(Map.of(), Set.of(), SessionPresence.DEFAULT);
        assertThat(state.replay()).extracting(SessionState.Dispatch::type).containsExactly("READY", "MESSAGE_REACTION_ADD_MANY");
    }

    @Test
    void somethingElseIsNotASessionState() {
        assertThatThrownBy(() -> SessionState.fromJson("{\"id\":1}".getBytes())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionState.fromJson("not json".getBytes())).isInstanceOf(IllegalArgumentException.class);
    }
}
