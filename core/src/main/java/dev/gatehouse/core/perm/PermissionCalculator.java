package dev.gatehouse.core.perm;

import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.model.Role;
import java.util.Collection;
import java.util.Map;

/**
 * Discord's permission algorithm, pure: the guild owner and ADMINISTRATOR have everything; otherwise
 * base = {@code @everyone} | the member's roles, then in a channel the {@code @everyone} overwrite,
 * the member's role overwrites together (deny then allow), then the member overwrite.
 */
public final class PermissionCalculator {

    private PermissionCalculator() {}

    /** Guild-level permissions of a member; {@code roles} maps every role id of the guild. */
    public static long base(Guild guild, Member member, Map<Long, Role> roles) {
        if (guild.ownerId() == member.userId()) {
            return Permission.ALL;
        }
        Role everyone = roles.get(guild.everyoneRoleId());
        long bits = everyone == null ? 0 : everyone.permissions();
        for (long roleId : member.roles()) {
            Role role = roles.get(roleId);
            if (role != null) {
                bits |= role.permissions();
            }
        }
        return Permission.ADMINISTRATOR.in(bits) ? Permission.ALL : bits;
    }

    /** Permissions of a member in a guild channel. */
    public static long inChannel(Guild guild, Member member, Map<Long, Role> roles, Channel channel) {
        long base = base(guild, member, roles);
        if (base == Permission.ALL) {
            return base;
        }
        return applyOverwrites(base, guild.everyoneRoleId(), member, channel.overwrites());
    }

    static long applyOverwrites(long base, long everyoneRoleId, Member member, Collection<Overwrite> overwrites) {
        long bits = base;
        Overwrite everyone = null;
        Overwrite own = null;
        long roleAllow = 0;
        long roleDeny = 0;
        for (Overwrite o : overwrites) {
            if (o.type() == Overwrite.ROLE && o.id() == everyoneRoleId) {
                everyone = o;
            } else if (o.type() == Overwrite.ROLE && member.roles().contains(o.id())) {
                roleAllow |= o.allow();
                roleDeny |= o.deny();
            } else if (o.type() == Overwrite.MEMBER && o.id() == member.userId()) {
                own = o;
            }
        }
        if (everyone != null) {
            bits = (bits & ~everyone.deny()) | everyone.allow();
        }
        bits = (bits & ~roleDeny) | roleAllow;
        if (own != null) {
            bits = (bits & ~own.deny()) | own.allow();
        }
        // Without VIEW_CHANNEL nothing else in the channel applies; without SEND_MESSAGES the
        // permissions that only make sense when sending go too (Discord's implicit denials).
        if (!Permission.VIEW_CHANNEL.in(bits)) {
            return 0;
        }
        if (!Permission.SEND_MESSAGES.in(bits)) {
            bits &= ~Permission.of(Permission.MENTION_EVERYONE, Permission.SEND_TTS_MESSAGES,
                    Permission.ATTACH_FILES, Permission.EMBED_LINKS);
        }
        return bits;
    }
}
