package dev.gatehouse.core.model;

import java.time.Instant;

/**
 * A member connected to a voice channel: one channel per member per guild, held by the gateway
 * session that joined it. {@code mute} and {@code deaf} are set by moderators, the {@code self}
 * pair by the member's client.
 *
 * @param token the voice gateway token of this join (sent in VOICE_SERVER_UPDATE, never in a view)
 * @param speak whether the member has SPEAK in the channel: the relay forwards no audio without it
 * @param suppress in a stage channel, a listener: everyone joins a stage so, until a moderator (or a
 *     member with MUTE_MEMBERS, for itself) lets them speak
 * @param requestToSpeak when a stage listener asked to speak, or null
 */
public record VoiceState(long guildId, long channelId, long userId, String sessionId, String token, boolean mute,
        boolean deaf, boolean selfMute, boolean selfDeaf, boolean speak, boolean suppress, Instant requestToSpeak) {

    /** Whether the relay forwards this member's audio. */
    public boolean audible() {
        return !mute && !selfMute && speak && !suppress;
    }

    public VoiceState withSpeak(boolean canSpeak) {
        return new VoiceState(guildId, channelId, userId, sessionId, token, mute, deaf, selfMute, selfDeaf, canSpeak,
                suppress, requestToSpeak);
    }

    public VoiceState withStage(boolean suppressed, Instant request) {
        return new VoiceState(guildId, channelId, userId, sessionId, token, mute, deaf, selfMute, selfDeaf, speak,
                suppressed, request);
    }

    @Override
    public String toString() {
        return "VoiceState[guild=" + guildId + ", channel=" + channelId + ", user=" + userId + ", session=" + sessionId
                + ", mute=" + mute + ", deaf=" + deaf + ", selfMute=" + selfMute + ", selfDeaf=" + selfDeaf
                + ", speak=" + speak + ", suppress=" + suppress + ", requestToSpeak=" + requestToSpeak + "]"; // no token
    }
}
