package dev.gatehouse.voice;

import dev.gatehouse.voice.crypto.EncryptionMode;
import java.util.HashSet;
import java.util.List;

/**
 * The voice server's timings and limits (docs/VOICE.md §5).
 *
 * @param heartbeatIntervalMs what Hello tells the client (Discord's is 13,750 ms)
 * @param heartbeatTimeoutMs silence after which the connection closes with 4009
 * @param identifyTimeoutMs time from Hello to an Identify or Resume, else 4009
 * @param resumeWindowMs how long a voice session outlives its WebSocket, waiting for op 7
 * @param maxFrameBytes the largest client frame (4002 beyond)
 * @param framesPerMinute client frames allowed in any 60 s (4021 beyond)
 * @param replayLimit numbered messages kept for a v8 resume
 * @param packetsPerSecond sustained UDP packets per sender (Opus at 20 ms is 50)
 * @param packetBurst packets a sender may send at once above the rate
 * @param modes the encryption modes Ready offers, in order of preference (clients such as
 *     @discordjs/voice take the first they support)
 */
public record VoiceConfig(
        long heartbeatIntervalMs,
        long heartbeatTimeoutMs,
        long identifyTimeoutMs,
        long resumeWindowMs,
        int maxFrameBytes,
        int framesPerMinute,
        int replayLimit,
        int packetsPerSecond,
        int packetBurst,
        List<EncryptionMode> modes) {

    public VoiceConfig {
        modes = List.copyOf(modes);
        if (modes.isEmpty() || new HashSet<>(modes).size() != modes.size()) {
            throw new IllegalArgumentException("offer one or more distinct encryption modes: " + modes);
        }
        if (heartbeatIntervalMs <= 0 || heartbeatTimeoutMs <= heartbeatIntervalMs) {
            throw new IllegalArgumentException("heartbeat timeout must exceed a positive interval: "
                    + heartbeatTimeoutMs + " <= " + heartbeatIntervalMs);
        }
        if (identifyTimeoutMs <= 0 || resumeWindowMs < 0 || maxFrameBytes < 512 || framesPerMinute < 10
                || replayLimit < 1 || packetsPerSecond < 1 || packetBurst < 1) {
            throw new IllegalArgumentException("voice limits out of range: " + this);
        }
    }

    public static VoiceConfig defaults() {
        return new VoiceConfig(13_750, 13_750 * 2 + 5_000, 30_000, 60_000, 16 * 1024, 240, 256, 200, 100,
                List.of(EncryptionMode.values()));
    }

    public VoiceConfig withResumeWindow(long ms) {
        return new VoiceConfig(heartbeatIntervalMs, heartbeatTimeoutMs, identifyTimeoutMs, ms, maxFrameBytes,
                framesPerMinute, replayLimit, packetsPerSecond, packetBurst, modes);
    }

    public VoiceConfig withReplayLimit(int limit) {
        return new VoiceConfig(heartbeatIntervalMs, heartbeatTimeoutMs, identifyTimeoutMs, resumeWindowMs, maxFrameBytes,
                framesPerMinute, limit, packetsPerSecond, packetBurst, modes);
    }

    public VoiceConfig withPacketRate(int perSecond, int burst) {
        return new VoiceConfig(heartbeatIntervalMs, heartbeatTimeoutMs, identifyTimeoutMs, resumeWindowMs, maxFrameBytes,
                framesPerMinute, replayLimit, perSecond, burst, modes);
    }

    public VoiceConfig withModes(List<EncryptionMode> offered) {
        return new VoiceConfig(heartbeatIntervalMs, heartbeatTimeoutMs, identifyTimeoutMs, resumeWindowMs, maxFrameBytes,
                framesPerMinute, replayLimit, packetsPerSecond, packetBurst, offered);
    }
}
