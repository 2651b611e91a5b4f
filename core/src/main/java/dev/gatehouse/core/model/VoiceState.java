package dev.gatehouse.core.model;

/**
 * A member connected to a voice channel: one channel per member per guild, held by the gateway
 * session that joined it. {@code mute} and {@code deaf} are set by moderators, the {@code self}
 * pair by the member's client.
 *
 * @param token the voice gateway token of this join (sent in VOICE_SERVER_UPDATE, never in a view)
 * @param speak whether the member has SPEAK in the channel: the relay forwards no audio without it
 */
public record VoiceState(long guildId, long channelId, long userId, String sessionId, String token, boolean mute,
        boolean deaf, boolean selfMute, boolean selfDeaf, boolean speak) {

    @Override
    public String toString() {
        return "VoiceState[guild=" + guildId + ", channel=" + channelId + ", user=" + userId + ", session=" + sessionId
                + ", mute=" + mute + ", deaf=" + deaf + ", selfMute=" + selfMute + ", selfDeaf=" + selfDeaf
                + ", speak=" + speak + "]"; // without the token
    }
}
