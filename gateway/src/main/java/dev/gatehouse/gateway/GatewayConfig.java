package dev.gatehouse.gateway;

import dev.gatehouse.protocol.compress.CompressionConfig;

/**
 * The gateway's timings and limits (docs/PROTOCOL.md §4-5). Times are milliseconds: the session core
 * takes time as plain numbers so tests drive it with a fake clock.
 *
 * <p>Every config is checked when it is made, so a bad value fails at startup with its name instead
 * of showing up later as clients being closed: counts, sizes and times are positive ({@code voiceQueue}
 * may be 0), {@code maxFrameBytes} is in {@value #FRAME_BYTES_FLOOR}..{@value #FRAME_BYTES_CEILING},
 * and {@code sessionTimeoutMs} is greater than {@code heartbeatIntervalMs}.
 *
 * @param heartbeatIntervalMs what Hello tells clients
 * @param sessionTimeoutMs silence after which a connection is closed 4009, and the time a new
 *     connection has to identify or resume
 * @param resumeWindowMs how long a session whose connection dropped stays resumable
 * @param maxFrameBytes the largest client frame (4002 beyond)
 * @param framesPerWindow client frames per {@code frameWindowMs} (4008 beyond)
 * @param memberRequestsPerWindow op 8 per {@code memberRequestWindowMs}
 * @param voiceStatesPerSecond op 4 applied per second; beyond, queued up to {@code voiceQueue}
 * @param presenceUpdatesPerWindow op 3 applied per {@code presenceWindowMs}; beyond, the latest waits
 * @param replayEvents unacknowledged dispatches kept for resume
 * @param replayBytes bytes of unacknowledged dispatch bodies kept for resume
 * @param reactionBuffer reactions a fluxer session with identify flag 0x2 may have pending
 * @param batchFlushMs how often debounced reactions (as MESSAGE_REACTION_ADD_MANY) and pending presences go out
 * @param presenceBuffer distinct presence updates a fluxer session may have pending
 * @param maxUnreadBytes bytes queued on a socket its client does not read before it is closed
 * @param compression sizes of the per-connection compression contexts
 * @param identifyLimits whether identify concurrency and the daily session-start budget apply
 *     (off only for load programs, like the HTTP rate limits)
 */
public record GatewayConfig(
        long heartbeatIntervalMs,
        long sessionTimeoutMs,
        long resumeWindowMs,
        int maxFrameBytes,
        int framesPerWindow,
        long frameWindowMs,
        int memberRequestsPerWindow,
        long memberRequestWindowMs,
        int voiceStatesPerSecond,
        int voiceQueue,
        int presenceUpdatesPerWindow,
        long presenceWindowMs,
        int replayEvents,
        long replayBytes,
        int reactionBuffer,
        long batchFlushMs,
        int presenceBuffer,
        long maxUnreadBytes,
        CompressionConfig compression,
        boolean identifyLimits) {

    /** Discord's frame limit: clients are written against it, so a smaller one closes frames they think valid. */
    public static final int FRAME_BYTES_FLOOR = 4096;
    /** The transport aggregates client messages up to this; a larger frame never reaches the session core. */
    public static final int FRAME_BYTES_CEILING = 64 * 1024;

    public GatewayConfig {
        require(heartbeatIntervalMs > 0, "heartbeatIntervalMs", heartbeatIntervalMs, "positive");
        // a client heartbeating on time is never silent for a whole timeout; this also puts the
        // server's heartbeat request (90% of the interval) before the close
        require(sessionTimeoutMs > heartbeatIntervalMs, "sessionTimeoutMs", sessionTimeoutMs,
                "greater than heartbeatIntervalMs (" + heartbeatIntervalMs + ")");
        require(resumeWindowMs > 0, "resumeWindowMs", resumeWindowMs, "positive");
        require(maxFrameBytes >= FRAME_BYTES_FLOOR && maxFrameBytes <= FRAME_BYTES_CEILING, "maxFrameBytes",
                maxFrameBytes, "in " + FRAME_BYTES_FLOOR + ".." + FRAME_BYTES_CEILING);
        // a rate of 0 would not switch a limit off: it would refuse every frame, op 8, op 4 or op 3
        require(framesPerWindow > 0, "framesPerWindow", framesPerWindow, "positive");
        require(frameWindowMs > 0, "frameWindowMs", frameWindowMs, "positive");
        require(memberRequestsPerWindow > 0, "memberRequestsPerWindow", memberRequestsPerWindow, "positive");
        require(memberRequestWindowMs > 0, "memberRequestWindowMs", memberRequestWindowMs, "positive");
        require(voiceStatesPerSecond > 0, "voiceStatesPerSecond", voiceStatesPerSecond, "positive");
        // 0 is meaningful: op 4 beyond the rate is dropped instead of queued
        require(voiceQueue >= 0, "voiceQueue", voiceQueue, "0 or more");
        require(presenceUpdatesPerWindow > 0, "presenceUpdatesPerWindow", presenceUpdatesPerWindow, "positive");
        require(presenceWindowMs > 0, "presenceWindowMs", presenceWindowMs, "positive");
        // at 0 a fluxer session would end (4013) at its first dispatch, reaction or presence, and a
        // discord one would keep nothing to resume from
        require(replayEvents > 0, "replayEvents", replayEvents, "positive");
        require(replayBytes > 0, "replayBytes", replayBytes, "positive");
        require(reactionBuffer > 0, "reactionBuffer", reactionBuffer, "positive");
        require(batchFlushMs > 0, "batchFlushMs", batchFlushMs, "positive");
        require(presenceBuffer > 0, "presenceBuffer", presenceBuffer, "positive");
        require(maxUnreadBytes > 0, "maxUnreadBytes", maxUnreadBytes, "positive");
        require(compression != null, "compression", compression, "set");
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + rule + ", was " + value);
        }
    }

    /** The documented values (docs/PROTOCOL.md §4-5). */
    public static GatewayConfig defaults() {
        return builder().build();
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts from this config. Each with-method is checked on its own, so changing related values
     * (the heartbeat interval and the session timeout) in one step goes through here.
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The interval after which the server asks for a heartbeat: 90% of the advertised one. */
    public long heartbeatRequestAfterMs() {
        return heartbeatIntervalMs * 9 / 10;
    }

    public GatewayConfig withHeartbeatInterval(long ms) {
        return toBuilder().heartbeatIntervalMs(ms).build();
    }

    public GatewayConfig withSessionTimeout(long ms) {
        return toBuilder().sessionTimeoutMs(ms).build();
    }

    public GatewayConfig withResumeWindow(long ms) {
        return toBuilder().resumeWindowMs(ms).build();
    }

    public GatewayConfig withReplayLimits(int events, long bytes) {
        return toBuilder().replayEvents(events).replayBytes(bytes).build();
    }

    public GatewayConfig withMaxUnreadBytes(long bytes) {
        return toBuilder().maxUnreadBytes(bytes).build();
    }

    public GatewayConfig withCompression(CompressionConfig config) {
        return toBuilder().compression(config).build();
    }

    public GatewayConfig withIdentifyLimits(boolean enabled) {
        return toBuilder().identifyLimits(enabled).build();
    }

    /**
     * The defaults by name, and a way to change several values at once. Setters check nothing, so
     * related values may be set in any order; {@link #build} checks the whole.
     */
    public static final class Builder {
        private long heartbeatIntervalMs = 41_250; // §4.1
        private long sessionTimeoutMs = 45_000; // §4.2
        private long resumeWindowMs = 120_000; // §4.5
        private int maxFrameBytes = 4096; // §2, Discord's
        private int framesPerWindow = 120; // §5 from here on
        private long frameWindowMs = 60_000;
        private int memberRequestsPerWindow = 3;
        private long memberRequestWindowMs = 10_000;
        private int voiceStatesPerSecond = 10;
        private int voiceQueue = 64;
        private int presenceUpdatesPerWindow = 5;
        private long presenceWindowMs = 20_000;
        private int replayEvents = 4096;
        private long replayBytes = 16L << 20;
        private int reactionBuffer = 512;
        private long batchFlushMs = 650;
        private int presenceBuffer = 2048;
        private long maxUnreadBytes = 8L << 20;
        private CompressionConfig compression = CompressionConfig.DEFAULT;
        private boolean identifyLimits = true;

        private Builder() {
        }

        private Builder(GatewayConfig c) {
            heartbeatIntervalMs = c.heartbeatIntervalMs();
            sessionTimeoutMs = c.sessionTimeoutMs();
            resumeWindowMs = c.resumeWindowMs();
            maxFrameBytes = c.maxFrameBytes();
            framesPerWindow = c.framesPerWindow();
            frameWindowMs = c.frameWindowMs();
            memberRequestsPerWindow = c.memberRequestsPerWindow();
            memberRequestWindowMs = c.memberRequestWindowMs();
            voiceStatesPerSecond = c.voiceStatesPerSecond();
            voiceQueue = c.voiceQueue();
            presenceUpdatesPerWindow = c.presenceUpdatesPerWindow();
            presenceWindowMs = c.presenceWindowMs();
            replayEvents = c.replayEvents();
            replayBytes = c.replayBytes();
            reactionBuffer = c.reactionBuffer();
            batchFlushMs = c.batchFlushMs();
            presenceBuffer = c.presenceBuffer();
            maxUnreadBytes = c.maxUnreadBytes();
            compression = c.compression();
            identifyLimits = c.identifyLimits();
        }

        public Builder heartbeatIntervalMs(long v) {
            heartbeatIntervalMs = v;
            return this;
        }

        public Builder sessionTimeoutMs(long v) {
            sessionTimeoutMs = v;
            return this;
        }

        public Builder resumeWindowMs(long v) {
            resumeWindowMs = v;
            return this;
        }

        public Builder maxFrameBytes(int v) {
            maxFrameBytes = v;
            return this;
        }

        public Builder framesPerWindow(int v) {
            framesPerWindow = v;
            return this;
        }

        public Builder frameWindowMs(long v) {
            frameWindowMs = v;
            return this;
        }

        public Builder memberRequestsPerWindow(int v) {
            memberRequestsPerWindow = v;
            return this;
        }

        public Builder memberRequestWindowMs(long v) {
            memberRequestWindowMs = v;
            return this;
        }

        public Builder voiceStatesPerSecond(int v) {
            voiceStatesPerSecond = v;
            return this;
        }

        public Builder voiceQueue(int v) {
            voiceQueue = v;
            return this;
        }

        public Builder presenceUpdatesPerWindow(int v) {
            presenceUpdatesPerWindow = v;
            return this;
        }

        public Builder presenceWindowMs(long v) {
            presenceWindowMs = v;
            return this;
        }

        public Builder replayEvents(int v) {
            replayEvents = v;
            return this;
        }

        public Builder replayBytes(long v) {
            replayBytes = v;
            return this;
        }

        public Builder reactionBuffer(int v) {
            reactionBuffer = v;
            return this;
        }

        public Builder batchFlushMs(long v) {
            batchFlushMs = v;
            return this;
        }

        public Builder presenceBuffer(int v) {
            presenceBuffer = v;
            return this;
        }

        public Builder maxUnreadBytes(long v) {
            maxUnreadBytes = v;
            return this;
        }

        public Builder compression(CompressionConfig v) {
            compression = v;
            return this;
        }

        public Builder identifyLimits(boolean v) {
            identifyLimits = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the first value out of range */
        public GatewayConfig build() {
            return new GatewayConfig(heartbeatIntervalMs, sessionTimeoutMs, resumeWindowMs, maxFrameBytes,
                    framesPerWindow, frameWindowMs, memberRequestsPerWindow, memberRequestWindowMs,
                    voiceStatesPerSecond, voiceQueue, presenceUpdatesPerWindow, presenceWindowMs, replayEvents,
                    replayBytes, reactionBuffer, batchFlushMs, presenceBuffer, maxUnreadBytes, compression,
                    identifyLimits);
        }
    }
}
