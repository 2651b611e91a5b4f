package dev.gatehouse.core.store;

import dev.gatehouse.core.model.Invite;
import java.util.List;
import java.util.Optional;

public interface Invites {
    /** False when the code is taken. */
    boolean insert(Invite invite);

    Optional<Invite> find(String code);

    List<Invite> listByGuild(long guildId);

    List<Invite> listByChannel(long channelId);

    /** Counts one use if the invite still has uses left; false when it had none. */
    boolean use(String code);

    boolean delete(String code);
}
