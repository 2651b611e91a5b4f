package dev.gatehouse.core.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.User;
import java.util.List;

/**
 * Discord's guild member object. {@code guild_id} is set in gateway events (GUILD_MEMBER_ADD,
 * GUILD_MEMBER_UPDATE) and left out of REST bodies; {@code roles} never lists {@code @everyone}.
 */
public record MemberView(
        UserView user,
        String nick,
        String avatar,
        List<Long> roles,
        String joinedAt,
        String premiumSince,
        boolean deaf,
        boolean mute,
        int flags,
        boolean pending,
        String communicationDisabledUntil,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId) {

    public static MemberView of(Member m, User user) {
        return new MemberView(UserView.of(user), m.nick(), null, List.copyOf(m.roles()), Timestamps.iso(m.joinedAt()),
                null, false, false, 0, false, null, null);
    }

    public MemberView withGuildId(long id) {
        return new MemberView(user, nick, avatar, roles, joinedAt, premiumSince, deaf, mute, flags, pending,
                communicationDisabledUntil, id);
    }
}
