package dev.gatehouse.voice.session;

import dev.gatehouse.core.model.VoiceState;

/** Where the voice server reads who joined which channel: the platform's voice service, or a test's map. */
@FunctionalInterface
public interface VoiceStates {

    /** The member's voice state in the guild, or null. */
    VoiceState find(long guildId, long userId);
}
