package dev.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnowflakesTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        final AtomicLong millis;

        ManualClock(long start) {
            this.millis = new AtomicLong(start);
        }

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
        @Override public long millis() { return millis.get(); }
    }

    @Test
    void layoutMatchesDiscord() {
        ManualClock clock = new ManualClock(Snowflakes.EPOCH + 1_000);
        long id = new Snowflakes(clock, 3, 5).next();
        assertThat(id >>> 22).isEqualTo(1_000);
        assertThat((id >> 17) & 0x1F).isEqualTo(3);
        assertThat((id >> 12) & 0x1F).isEqualTo(5);
        assertThat(id & 0xFFF).isZero();
        assertThat(Snowflakes.timestamp(id)).isEqualTo(Snowflakes.EPOCH + 1_000);
        // Discord's documented example: 175928847299117063 was created 2016-04-30T11:18:25.796Z
        assertThat(Snowflakes.timestamp(175928847299117063L)).isEqualTo(1462015105796L);
    }

    @Test
    void strictlyIncreasingWithinOneMillisecondAndWhenTheClockStepsBack() {
        ManualClock clock = new ManualClock(Snowflakes.EPOCH + 5_000);
        Snowflakes ids = new Snowflakes(clock, 0, 0);
        Set<Long> seen = new HashSet<>();
        long previous = -1;
        for (int i = 0; i < 10_000; i++) { // more than 4,096 in one millisecond
            long id = ids.next();
            assertThat(id).isGreaterThan(previous);
            assertThat(seen.add(id)).isTrue();
            previous = id;
        }
        clock.millis.addAndGet(-2_000);
        assertThat(ids.next()).isGreaterThan(previous);
    }

    @Test
    void rejectsOutOfRangeWorker() {
        assertThatThrownBy(() -> new Snowflakes(Clock.systemUTC(), 32, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromTimestampIsTheSmallestIdOfThatMillisecond() {
        long t = Snowflakes.EPOCH + 123_456;
        assertThat(Snowflakes.timestamp(Snowflakes.fromTimestamp(t))).isEqualTo(t);
        assertThat(Snowflakes.fromTimestamp(t) & ((1L << 22) - 1)).isZero();
    }
}
