package dev.gatehouse.core.model;

import java.util.List;

/**
 * A guild channel (text, voice, category) or a DM channel. {@code guildId} is null for DMs, whose
 * {@code recipientIds} hold both users; guild channels carry their {@code overwrites}.
 */
public record Channel(
        long id,
        int type,
        Long guildId,
        String name,
        String topic,
        int position,
        Long parentId,
        boolean nsfw,
        int bitrate,
        int userLimit,
        int rateLimitPerUser,
        Long lastMessageId,
        List<Overwrite> overwrites,
        List<Long> recipientIds) {

    public boolean isDm() {
        return guildId == null;
    }
}
