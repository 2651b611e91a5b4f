package dev.gatehouse.gateway;

import dev.gatehouse.protocol.compress.CompressionConfig;

/**
 * The gateway's timings and limits (docs/PROTOCOL.md §4-5). Times are milliseconds: the session core
 * takes time as plain numbers so tests drive it with a fake clock.
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

    public static GatewayConfig defaults() {
        return new GatewayConfig(41_250, 45_000, 120_000, 4096, 120, 60_000, 3, 10_000, 10, 64, 5, 20_000,
                4096, 16L << 20, 512, 650, 2048, 8L << 20, CompressionConfig.DEFAULT, true);
    }

    /** The interval after which the server asks for a heartbeat: 90% of the advertised one. */
    public long heartbeatRequestAfterMs() {
        return heartbeatIntervalMs * 9 / 10;
    }

    public GatewayConfig withHeartbeatInterval(long ms) {
        return copy().heartbeatIntervalMs(ms).build();
    }

    public GatewayConfig withSessionTimeout(long ms) {
        return copy().sessionTimeoutMs(ms).build();
    }

    public GatewayConfig withResumeWindow(long ms) {
        return copy().resumeWindowMs(ms).build();
    }

    public GatewayConfig withReplayLimits(int events, long bytes) {
        return copy().replayEvents(events).replayBytes(bytes).build();
    }

    public GatewayConfig withMaxUnreadBytes(long bytes) {
        return copy().maxUnreadBytes(bytes).build();
    }

    public GatewayConfig withCompression(CompressionConfig config) {
        return copy().compression(config).build();
    }

    public GatewayConfig withIdentifyLimits(boolean enabled) {
        return copy().identifyLimits(enabled).build();
    }

    private Builder copy() {
        return new Builder(this);
    }

    /** A mutable copy, so each with-method names only what it changes. */
    private static final class Builder {
        private long heartbeatIntervalMs;
        private long sessionTimeoutMs;
        private long resumeWindowMs;
        private int maxFrameBytes;
        private int framesPerWindow;
        private long frameWindowMs;
        private int memberRequestsPerWindow;
        private long memberRequestWindowMs;
        private int voiceStatesPerSecond;
        private int voiceQueue;
        private int presenceUpdatesPerWindow;
        private long presenceWindowMs;
        private int replayEvents;
        private long replayBytes;
        private int reactionBuffer;
        private long batchFlushMs;
        private int presenceBuffer;
        private long maxUnreadBytes;
        private CompressionConfig compression;
        private boolean identifyLimits;

        Builder(GatewayConfig c) {
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

        Builder heartbeatIntervalMs(long v) {
            heartbeatIntervalMs = v;
            return this;
        }

        Builder sessionTimeoutMs(long v) {
            sessionTimeoutMs = v;
            return this;
        }

        Builder resumeWindowMs(long v) {
            resumeWindowMs = v;
            return this;
        }

        Builder maxFrameBytes(int v) {
            maxFrameBytes = v;
            return this;
        }

        Builder framesPerWindow(int v) {
            framesPerWindow = v;
            return this;
        }

        Builder frameWindowMs(long v) {
            frameWindowMs = v;
            return this;
        }

        Builder memberRequestsPerWindow(int v) {
            memberRequestsPerWindow = v;
            return this;
        }

        Builder memberRequestWindowMs(long v) {
            memberRequestWindowMs = v;
            return this;
        }

        Builder voiceStatesPerSecond(int v) {
            voiceStatesPerSecond = v;
            return this;
        }

        Builder voiceQueue(int v) {
            voiceQueue = v;
            return this;
        }

        Builder presenceUpdatesPerWindow(int v) {
            presenceUpdatesPerWindow = v;
            return this;
        }

        Builder presenceWindowMs(long v) {
            presenceWindowMs = v;
            return this;
        }

        Builder replayEvents(int v) {
            replayEvents = v;
            return this;
        }

        Builder replayBytes(long v) {
            replayBytes = v;
            return this;
        }

        Builder reactionBuffer(int v) {
            reactionBuffer = v;
            return this;
        }

        Builder batchFlushMs(long v) {
            batchFlushMs = v;
            return this;
        }

        Builder presenceBuffer(int v) {
            presenceBuffer = v;
            return this;
        }

        Builder maxUnreadBytes(long v) {
            maxUnreadBytes = v;
            return this;
        }

        Builder compression(CompressionConfig v) {
            compression = v;
            return this;
        }

        Builder identifyLimits(boolean v) {
            identifyLimits = v;
            return this;
        }

        GatewayConfig build() {
            return new GatewayConfig(heartbeatIntervalMs, sessionTimeoutMs, resumeWindowMs, maxFrameBytes, framesPerWindow, frameWindowMs, memberRequestsPerWindow, memberRequestWindowMs, voiceStatesPerSecond, voiceQueue, presenceUpdatesPerWindow, presenceWindowMs, replayEvents, replayBytes, reactionBuffer, batchFlushMs, presenceBuffer, maxUnreadBytes, compression, identifyLimits);
        }
    }
}
