package dev.gatehouse.core.store;

import dev.gatehouse.core.model.Message;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

public interface Messages {
    void insert(Message message);

    Optional<Message> find(long channelId, long messageId);

    /** Newest first, ids strictly below {@code before}. */
    List<Message> listBefore(long channelId, long before, int limit);

    /** Newest first, ids strictly above {@code after} (the oldest {@code limit} of them). */
    List<Message> listAfter(long channelId, long after, int limit);

    void update(Message message);

    boolean delete(long channelId, long messageId);

    /** Deletes those of the ids that are in the channel; returns the ids deleted. */
    List<Long> deleteAll(long channelId, Collection<Long> messageIds);

    /** Deletes the author's messages in the guild with ids at or above {@code sinceId}; returns the ids deleted by channel. */
    java.util.Map<Long, List<Long>> deleteByAuthorSince(long guildId, long authorId, long sinceId);
}
