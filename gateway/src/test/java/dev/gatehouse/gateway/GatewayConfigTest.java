package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.gatehouse.protocol.compress.CompressionConfig;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The gateway's timings and limits: the documented defaults, and each rule a config must keep. */
class GatewayConfigTest {

    static final GatewayConfig DEFAULTS = GatewayConfig.defaults();

    @Test
    void theDefaultsAreTheDocumentedValues() {
        GatewayConfig c = DEFAULTS;
        assertThat(c.heartbeatIntervalMs()).isEqualTo(41_250);
        assertThat(c.heartbeatRequestAfterMs()).isEqualTo(37_125);
        assertThat(c.sessionTimeoutMs()).isEqualTo(45_000);
        assertThat(c.resumeWindowMs()).isEqualTo(120_000);
        assertThat(c.maxFrameBytes()).isEqualTo(4096);
        assertThat(c.framesPerWindow()).isEqualTo(120);
        assertThat(c.frameWindowMs()).isEqualTo(60_000);
        assertThat(c.memberRequestsPerWindow()).isEqualTo(3);
        assertThat(c.memberRequestWindowMs()).isEqualTo(10_000);
        assertThat(c.voiceStatesPerSecond()).isEqualTo(10);
        assertThat(c.voiceQueue()).isEqualTo(64);
        assertThat(c.presenceUpdatesPerWindow()).isEqualTo(5);
        assertThat(c.presenceWindowMs()).isEqualTo(20_000);
        assertThat(c.replayEvents()).isEqualTo(4096);
        assertThat(c.replayBytes()).isEqualTo(16L << 20);
        assertThat(c.reactionBuffer()).isEqualTo(512);
        assertThat(c.batchFlushMs()).isEqualTo(650);
        assertThat(c.presenceBuffer()).isEqualTo(2048);
        assertThat(c.maxUnreadBytes()).isEqualTo(8L << 20);
        assertThat(c.compression()).isEqualTo(CompressionConfig.DEFAULT);
        assertThat(c.identifyLimits()).isTrue();
        assertThat(GatewayConfig.builder().build()).isEqualTo(c);
        assertThat(c.toBuilder().build()).as("a copy changes nothing").isEqualTo(c);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("heartbeatIntervalMs", "0", b -> b.heartbeatIntervalMs(0)),
                bad("heartbeatIntervalMs", "-1", b -> b.heartbeatIntervalMs(-1)),
                bad("sessionTimeoutMs", "41250", b -> b.sessionTimeoutMs(41_250)),
                bad("sessionTimeoutMs", "0", b -> b.sessionTimeoutMs(0)),
                bad("resumeWindowMs", "0", b -> b.resumeWindowMs(0)),
                bad("maxFrameBytes", "4095", b -> b.maxFrameBytes(4095)),
                bad("maxFrameBytes", "65537", b -> b.maxFrameBytes(64 * 1024 + 1)),
                bad("framesPerWindow", "0", b -> b.framesPerWindow(0)),
                bad("frameWindowMs", "0", b -> b.frameWindowMs(0)),
                bad("memberRequestsPerWindow", "0", b -> b.memberRequestsPerWindow(0)),
                bad("memberRequestWindowMs", "-5", b -> b.memberRequestWindowMs(-5)),
                bad("voiceStatesPerSecond", "0", b -> b.voiceStatesPerSecond(0)),
                bad("voiceQueue", "-1", b -> b.voiceQueue(-1)),
                bad("presenceUpdatesPerWindow", "0", b -> b.presenceUpdatesPerWindow(0)),
                bad("presenceWindowMs", "0", b -> b.presenceWindowMs(0)),
                bad("replayEvents", "0", b -> b.replayEvents(0)),
                bad("replayBytes", "0", b -> b.replayBytes(0)),
                bad("reactionBuffer", "0", b -> b.reactionBuffer(0)),
                bad("batchFlushMs", "0", b -> b.batchFlushMs(0)),
                bad("presenceBuffer", "0", b -> b.presenceBuffer(0)),
                bad("maxUnreadBytes", "0", b -> b.maxUnreadBytes(0)),
                bad("compression", "null", b -> b.compression(null)));
    }

    static Arguments bad(String field, String value, UnaryOperator<GatewayConfig.Builder> change) {
        return Arguments.of(field, value, change);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badValues")
    void eachRuleRejectsABadValueByName(String field, String value, UnaryOperator<GatewayConfig.Builder> change) {
        assertThatIllegalArgumentException().isThrownBy(() -> change.apply(GatewayConfig.builder()).build())
                .withMessageStartingWith(field + " must be ")
                .withMessageEndingWith(", was " + value);
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        GatewayConfig edges = GatewayConfig.builder()
                .heartbeatIntervalMs(1).sessionTimeoutMs(2)
                .maxFrameBytes(GatewayConfig.FRAME_BYTES_CEILING)
                .voiceQueue(0)
                .replayEvents(1).replayBytes(1)
                .build();
        assertThat(edges.voiceQueue()).as("0 drops op 4 beyond the rate instead of queueing it").isZero();
        assertThat(GatewayConfig.builder().maxFrameBytes(GatewayConfig.FRAME_BYTES_FLOOR).build().maxFrameBytes())
                .isEqualTo(4096);
    }

    @Test
    void aClientHeartbeatingOnTimeNeverTimesOut() {
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withSessionTimeout(30_000))
                .withMessage("sessionTimeoutMs must be greater than heartbeatIntervalMs (41250), was 30000");
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withHeartbeatInterval(45_000))
                .withMessage("sessionTimeoutMs must be greater than heartbeatIntervalMs (45000), was 45000");
        // and so the server always asks for a heartbeat before it gives up on one
        GatewayConfig tight = GatewayConfig.builder().heartbeatIntervalMs(1_000).sessionTimeoutMs(1_001).build();
        assertThat(tight.heartbeatRequestAfterMs()).isLessThan(tight.sessionTimeoutMs());
    }

    @Test
    void relatedValuesChangeTogetherThroughTheBuilderInEitherOrder() {
        // one with-method at a time cannot lengthen the interval past the old timeout
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withHeartbeatInterval(60_000).withSessionTimeout(70_000));
        GatewayConfig slow = DEFAULTS.toBuilder().heartbeatIntervalMs(60_000).sessionTimeoutMs(70_000).build();
        assertThat(DEFAULTS.toBuilder().sessionTimeoutMs(70_000).heartbeatIntervalMs(60_000).build()).isEqualTo(slow);
        assertThat(slow.resumeWindowMs()).as("the rest is kept").isEqualTo(DEFAULTS.resumeWindowMs());
    }

    static Stream<Arguments> badWiths() {
        return Stream.of(
                badWith("heartbeatIntervalMs", () -> DEFAULTS.withHeartbeatInterval(0)),
                badWith("sessionTimeoutMs", () -> DEFAULTS.withSessionTimeout(-1)),
                badWith("resumeWindowMs", () -> DEFAULTS.withResumeWindow(0)),
                badWith("replayEvents", () -> DEFAULTS.withReplayLimits(0, 1 << 20)),
                badWith("replayBytes", () -> DEFAULTS.withReplayLimits(8, 0)),
                badWith("maxUnreadBytes", () -> DEFAULTS.withMaxUnreadBytes(0)),
                badWith("compression", () -> DEFAULTS.withCompression(null)));
    }

    static Arguments badWith(String field, Supplier<GatewayConfig> with) {
        return Arguments.of(field, with);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWiths")
    void withMethodsAreCheckedToo(String field, Supplier<GatewayConfig> with) {
        assertThatIllegalArgumentException().isThrownBy(with::get).withMessageStartingWith(field + " must be ");
    }

    @Test
    void theConfigsTheTestsAndTheServerUseAreAccepted() {
        GatewayConfig fast = DEFAULTS.withHeartbeatInterval(300).withSessionTimeout(600);
        assertThat(fast.heartbeatIntervalMs()).isEqualTo(300);
        assertThat(fast.sessionTimeoutMs()).isEqualTo(600);
        assertThat(fast.heartbeatRequestAfterMs()).isEqualTo(270);
        assertThat(DEFAULTS.withHeartbeatInterval(400).heartbeatIntervalMs()).isEqualTo(400);
        assertThat(DEFAULTS.withResumeWindow(500).resumeWindowMs()).isEqualTo(500);
        GatewayConfig replay = DEFAULTS.withReplayLimits(4096, 1_000);
        assertThat(replay.replayEvents()).isEqualTo(4096);
        assertThat(replay.replayBytes()).isEqualTo(1_000);
        assertThat(DEFAULTS.withReplayLimits(8, 1 << 20).replayEvents()).isEqualTo(8);
        assertThat(DEFAULTS.withMaxUnreadBytes(64 * 1024).maxUnreadBytes()).isEqualTo(64 * 1024);
        assertThat(DEFAULTS.withIdentifyLimits(false).identifyLimits()).isFalse();
        CompressionConfig small = new CompressionConfig(6, 12, 5, 1, 14, 13);
        assertThat(DEFAULTS.withCompression(small).compression()).isEqualTo(small);
    }

    @Test
    void aWithMethodChangesOnlyItsOwnValues() {
        assertThat(DEFAULTS.withResumeWindow(500)).isEqualTo(DEFAULTS.toBuilder().resumeWindowMs(500).build());
        assertThat(DEFAULTS.withReplayLimits(8, 1_000))
                .isEqualTo(DEFAULTS.toBuilder().replayEvents(8).replayBytes(1_000).build());
        assertThat(DEFAULTS.withMaxUnreadBytes(1)).isEqualTo(DEFAULTS.toBuilder().maxUnreadBytes(1).build());
    }
}
