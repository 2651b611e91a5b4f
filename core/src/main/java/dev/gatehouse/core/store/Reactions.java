package dev.gatehouse.core.store;

import dev.gatehouse.core.model.Emoji;
import java.util.Collection;
import java.util.List;
import java.util.Map;

public interface Reactions {
    /** One emoji's count on a message, and whether the asking user is among the reactors. */
    record Count(Emoji emoji, int count, boolean me) {}

    /** False when the user had already reacted with that emoji. */
    boolean add(long channelId, long messageId, Emoji emoji, long userId, long createdAt);

    boolean remove(long messageId, String emojiKey, long userId);

    /** User ids that reacted with the emoji, ordered by user id, after the given id. */
    List<Long> users(long messageId, String emojiKey, long afterUserId, int limit);

    int countEmojis(long messageId);

    int removeAll(long messageId);

    int removeEmoji(long messageId, String emojiKey);

    /** Reaction counts of each message, in the order the emojis were first used. */
    Map<Long, List<Count>> counts(Collection<Long> messageIds, long viewerUserId);
}
