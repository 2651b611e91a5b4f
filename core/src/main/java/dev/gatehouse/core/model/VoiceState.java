package dev.gatehouse.core.model;

/**
 * A member connected to a voice channel: one channel per member per guild, held by the gateway
 * session that joined it. {@code mute} and {@code deaf} are set by moderators, the {@code self}
 * pair by the member's client.
 */
public record VoiceState(long guildId, long channelId, long userId, String sessionId, boolean mute, boolean deaf,
        boolean selfMute, boolean selfDeaf) {

    public VoiceState in(long channel) {
        return new VoiceState(guildId, channel, userId, sessionId, mute, deaf, selfMute, selfDeaf);
    }
}
