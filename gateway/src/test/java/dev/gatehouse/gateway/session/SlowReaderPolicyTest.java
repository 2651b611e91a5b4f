package dev.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.GatewayConfig;
import org.junit.jupiter.api.Test;

/** The slow-reader rule as data: 8 MiB unread for 5 s, or the limit plus a whole replay at once. */
class SlowReaderPolicyTest {

    @Test
    void theDefaultsAreEightMebibytesForFiveSecondsOrTwentyFourAtOnce() {
        SlowReaderPolicy p = SlowReaderPolicy.of(GatewayConfig.defaults());
        assertThat(p.highWaterMark()).isEqualTo(8 << 20);
        assertThat(p.lowWaterMark()).isEqualTo(4 << 20);
        assertThat(p.graceMs()).isEqualTo(5_000);
        assertThat(p.dropsAtOnce((8L << 20) + (16L << 20), false)).as("exactly at the limit").isFalse();
        assertThat(p.dropsAtOnce((8L << 20) + (16L << 20) + 1, false)).isTrue();
        assertThat(p.dropsAtOnce(Long.MAX_VALUE, true)).as("a socket that drains is never dropped").isFalse();
        assertThat(p.dropsAfterGrace(false)).isTrue();
        assertThat(p.dropsAfterGrace(true)).isFalse();
    }

    @Test
    void marksFollowTheConfiguredLimitAndNeverOverflowAnInt() {
        SlowReaderPolicy small = SlowReaderPolicy.of(GatewayConfig.defaults().withMaxUnreadBytes(64 * 1024));
        assertThat(small.highWaterMark()).isEqualTo(64 * 1024);
        assertThat(small.lowWaterMark()).isEqualTo(32 * 1024);
        SlowReaderPolicy huge = new SlowReaderPolicy(10L << 30, 5_000, 11L << 30);
        assertThat(huge.highWaterMark()).isEqualTo(Integer.MAX_VALUE);
    }
}
