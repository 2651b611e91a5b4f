package dev.gatehouse.core.store;

import dev.gatehouse.core.model.Member;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

public interface Members {
    /** False when the user is already a member. */
    boolean insert(Member member);

    Optional<Member> find(long guildId, long userId);

    /** Members ordered by user id, after the given user id, at most {@code limit}. */
    List<Member> list(long guildId, long afterUserId, int limit);

    List<Member> findAll(long guildId, Collection<Long> userIds);

    /** Members whose username or nick starts with the prefix (case-insensitive). */
    List<Member> search(long guildId, String prefix, int limit);

    void updateNick(long guildId, long userId, String nick);

    void setRoles(long guildId, long userId, Collection<Long> roleIds);

    boolean addRole(long guildId, long userId, long roleId);

    boolean removeRole(long guildId, long userId, long roleId);

    /** Removes a deleted role from every member of the guild. */
    void removeRoleFromAll(long guildId, long roleId);

    boolean delete(long guildId, long userId);

    int count(long guildId);

    List<Long> guildIdsOf(long userId);
}
