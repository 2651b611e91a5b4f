package dev.gatehouse.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.gateway.session.SessionIdentity;
import dev.gatehouse.gateway.session.SessionSink;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * The registry under the races that used to leave a session in a guild's set after it ended (its
 * replay buffer pinned, its events still fanned out) or drop a live session from it.
 */
class SessionRegistryTest {

    static final Executor DIRECT = Runnable::run;
    static final SessionSink NOWHERE = new SessionSink() {
        @Override
        public void write(long seq, String type, byte[] body) {}

        @Override
        public void flush() {}

        @Override
        public void close(CloseCode code, String reason) {}

        @Override
        public void wakeAt(long at) {}
    };

    static GatewaySession session(String id, long userId) {
        return new GatewaySession(id, new SessionIdentity(userId, false, Dialect.DISCORD, 1, Set.of(), 0, 0, 1, 50),
                GatewayConfig.defaults(), NOWHERE, 0);
    }

    @Test
    void aSessionThatEndsWhileItFollowsAGuildIsInNoIndexAfterwards() throws Exception {
        SessionRegistry registry = new SessionRegistry();
        for (int i = 0; i < 2_000; i++) {
            GatewaySession s = session("s" + i, 1);
            Subscriber sub = registry.add(s, DIRECT);
            long guild = 1000 + i;
            CyclicBarrier start = new CyclicBarrier(2);
            Thread follower = Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                registry.follow(sub, guild);
            });
            awaitQuietly(start);
            s.end(CloseCode.INVALID_SEQ, "ended");
            follower.join();
            assertThat(registry.isFollowed(guild)).as("round %s", i).isFalse();
            assertThat(registry.ofUser(1)).doesNotContain(sub);
            assertThat(registry.find(s.id())).isNull();
        }
    }

    @Test
    void oneSessionEndingNeverDropsAnotherThatFollowsTheSameGuildAtTheSameTime() throws Exception {
        SessionRegistry registry = new SessionRegistry();
        long guild = 42;
        for (int i = 0; i < 2_000; i++) {
            GatewaySession leaving = session("l" + i, 1);
            GatewaySession staying = session("k" + i, 2);
            Subscriber l = registry.add(leaving, DIRECT);
            Subscriber k = registry.add(staying, DIRECT);
            registry.follow(l, guild);
            CyclicBarrier start = new CyclicBarrier(2);
            Thread follower = Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                registry.follow(k, guild);
            });
            awaitQuietly(start);
            leaving.end(CloseCode.INVALID_SEQ, "ended");
            follower.join();
            assertThat(registry.ofGuild(guild)).as("round %s", i).containsExactly(k);
            staying.end(CloseCode.INVALID_SEQ, "ended");
            assertThat(registry.isFollowed(guild)).isFalse();
        }
    }

    @Test
    void followingTwiceIsOneFollowAndUnfollowingWhatIsNotFollowedIsNothing() {
        SessionRegistry registry = new SessionRegistry();
        Subscriber s = registry.add(session("s", 1), DIRECT);
        assertThat(registry.follow(s, 7)).isTrue();
        assertThat(registry.follow(s, 7)).isFalse();
        assertThat(registry.unfollow(s, 8)).isFalse();
        assertThat(registry.unfollow(s, 7)).isTrue();
        assertThat(registry.isFollowed(7)).isFalse();
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
