package dev.gatehouse.gateway;

/**
 * The gateway's timings and limits (PROTOCOL.md §4-5). Times are milliseconds: the session core
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
        long maxUnreadBytes) {

    public static GatewayConfig defaults() {
        return new GatewayConfig(41_250, 45_000, 120_000, 4096, 120, 60_000, 3, 10_000, 10, 64, 5, 20_000,
                4096, 16L << 20, 512, 650, 2048, 8L << 20);
    }

    /** The interval after which the server asks for a heartbeat: 90% of the advertised one. */
    public long heartbeatRequestAfterMs() {
        return heartbeatIntervalMs * 9 / 10;
    }

    public GatewayConfig withHeartbeatInterval(long ms) {
        return new GatewayConfig(ms, sessionTimeoutMs, resumeWindowMs, maxFrameBytes, framesPerWindow, frameWindowMs,
                memberRequestsPerWindow, memberRequestWindowMs, voiceStatesPerSecond, voiceQueue, presenceUpdatesPerWindow,
                presenceWindowMs, replayEvents, replayBytes, reactionBuffer, batchFlushMs, presenceBuffer, maxUnreadBytes);
    }

    public GatewayConfig withSessionTimeout(long ms) {
        return new GatewayConfig(heartbeatIntervalMs, ms, resumeWindowMs, maxFrameBytes, framesPerWindow, frameWindowMs,
                memberRequestsPerWindow, memberRequestWindowMs, voiceStatesPerSecond, voiceQueue, presenceUpdatesPerWindow,
                presenceWindowMs, replayEvents, replayBytes, reactionBuffer, batchFlushMs, presenceBuffer, maxUnreadBytes);
    }

    public GatewayConfig withResumeWindow(long ms) {
        return new GatewayConfig(heartbeatIntervalMs, sessionTimeoutMs, ms, maxFrameBytes, framesPerWindow, frameWindowMs,
                memberRequestsPerWindow, memberRequestWindowMs, voiceStatesPerSecond, voiceQueue, presenceUpdatesPerWindow,
                presenceWindowMs, replayEvents, replayBytes, reactionBuffer, batchFlushMs, presenceBuffer, maxUnreadBytes);
    }

    public GatewayConfig withReplayLimits(int events, long bytes) {
        return new GatewayConfig(heartbeatIntervalMs, sessionTimeoutMs, resumeWindowMs, maxFrameBytes, framesPerWindow,
                frameWindowMs, memberRequestsPerWindow, memberRequestWindowMs, voiceStatesPerSecond, voiceQueue,
                presenceUpdatesPerWindow, presenceWindowMs, events, bytes, reactionBuffer, batchFlushMs, presenceBuffer,
                maxUnreadBytes);
    }

    public GatewayConfig withMaxUnreadBytes(long bytes) {
        return new GatewayConfig(heartbeatIntervalMs, sessionTimeoutMs, resumeWindowMs, maxFrameBytes, framesPerWindow,
                frameWindowMs, memberRequestsPerWindow, memberRequestWindowMs, voiceStatesPerSecond, voiceQueue,
                presenceUpdatesPerWindow, presenceWindowMs, replayEvents, replayBytes, reactionBuffer, batchFlushMs,
                presenceBuffer, bytes);
    }
}
