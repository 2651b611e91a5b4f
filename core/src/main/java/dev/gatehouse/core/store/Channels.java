package dev.gatehouse.core.store;

import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Overwrite;
import java.util.List;
import java.util.Optional;

public interface Channels {
    /** Inserts a channel with its overwrites (guild) or recipients (DM). */
    void insert(Channel channel);

    Optional<Channel> find(long id);

    /** The guild's channels ordered by position then id, with overwrites. */
    List<Channel> listByGuild(long guildId);

    /** Updates the channel's own columns; overwrites are changed with the methods below. */
    void update(Channel channel);

    void delete(long id);

    void putOverwrite(long channelId, Overwrite overwrite);

    boolean deleteOverwrite(long channelId, long targetId);

    /** Removes every overwrite that targets the id (a deleted role or a departed member). */
    void deleteOverwritesFor(long guildId, long targetId);

    void setLastMessageId(long channelId, long messageId);

    Optional<Channel> findDm(long userA, long userB);

    /** DM channels the user is a recipient of. */
    List<Channel> listDms(long userId);
}
