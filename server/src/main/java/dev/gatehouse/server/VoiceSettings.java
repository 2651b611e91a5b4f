package dev.gatehouse.server;

import dev.gatehouse.voice.VoiceConfig;

/**
 * How {@code serve} runs the voice server.
 *
 * @param enabled whether this node serves voice (VOICE_SERVER_UPDATE's endpoint is null without)
 * @param udpPort the media relay's UDP port; 0 picks a free one (the programmatic default: tests and
 *     benchmarks start many servers; {@code serve} binds {@value #DEFAULT_UDP_PORT})
 * @param publicHost the name clients reach this node by, for the voice endpoint and the relay
 *     address in Ready; null: the public URL's host, else the bound host, else {@code localhost}
 * @param config timings and limits
 */
public record VoiceSettings(boolean enabled, int udpPort, String publicHost, VoiceConfig config) {

    public static final int DEFAULT_UDP_PORT = 50_000;

    public static VoiceSettings defaults() {
        return new VoiceSettings(true, 0, null, VoiceConfig.defaults());
    }

    public static VoiceSettings off() {
        return new VoiceSettings(false, 0, null, VoiceConfig.defaults());
    }

    public VoiceSettings withConfig(VoiceConfig newConfig) {
        return new VoiceSettings(enabled, udpPort, publicHost, newConfig);
    }
}
