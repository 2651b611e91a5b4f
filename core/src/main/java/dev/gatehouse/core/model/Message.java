package dev.gatehouse.core.model;

import java.util.List;

/**
 * A message. {@code embedsJson} is the validated embeds array as JSON text and {@code nonce} the
 * client's nonce as JSON text (a string or an integer), both echoed back as sent.
 */
public record Message(
        long id,
        long channelId,
        Long guildId,
        long authorId,
        String content,
        String nonce,
        int type,
        Long editedAt,
        boolean tts,
        boolean mentionEveryone,
        List<Long> mentions,
        List<Long> mentionRoles,
        String embedsJson,
        Long referenceMessageId,
        Long referenceChannelId,
        Long referenceGuildId,
        boolean pinned,
        int flags) {

    public static final int TYPE_DEFAULT = 0;
    public static final int TYPE_REPLY = 19;
}
