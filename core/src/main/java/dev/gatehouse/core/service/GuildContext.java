package dev.gatehouse.core.service;

import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.perm.PermissionCalculator;
import dev.gatehouse.core.store.Tx;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A member acting in a guild, loaded once per request: the guild, its roles and the member, with
 * the checks every guild route needs (permissions, role hierarchy). Not a member: 50001.
 */
public final class GuildContext {

    private final Guild guild;
    private final Map<Long, Role> roles;
    private final Member member;
    private final long permissions;

    private GuildContext(Guild guild, Map<Long, Role> roles, Member member) {
        this.guild = guild;
        this.roles = roles;
        this.member = member;
        this.permissions = PermissionCalculator.base(guild, member, roles);
    }

    public static GuildContext load(Tx tx, long guildId, long userId) {
        Guild guild = tx.guilds().find(guildId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_GUILD));
        Member member = tx.members().find(guildId, userId).orElseThrow(() -> new ApiException(ErrorCode.MISSING_ACCESS));
        Map<Long, Role> roles = new LinkedHashMap<>();
        for (Role r : tx.roles().list(guildId)) {
            roles.put(r.id(), r);
        }
        return new GuildContext(guild, roles, member);
    }

    public Guild guild() {
        return guild;
    }

    public Member member() {
        return member;
    }

    public Map<Long, Role> roles() {
        return roles;
    }

    public boolean isOwner() {
        return guild.ownerId() == member.userId();
    }

    public long permissions() {
        return permissions;
    }

    public boolean has(Permission... needed) {
        long bits = Permission.of(needed);
        return (permissions & bits) == bits;
    }

    /** 50013 unless the member has every one of the permissions guild-wide. */
    public GuildContext require(Permission... needed) {
        if (!has(needed)) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
        }
        return this;
    }

    public long permissionsIn(Channel channel) {
        return PermissionCalculator.inChannel(guild, member, roles, channel);
    }

    /** Position of the member's highest role; the owner outranks everyone. */
    public int highestPosition() {
        return highestPositionOf(member);
    }

    public int highestPositionOf(Member other) {
        if (other.userId() == guild.ownerId()) {
            return Integer.MAX_VALUE;
        }
        int highest = 0;
        for (long roleId : other.roles()) {
            Role r = roles.get(roleId);
            if (r != null) {
                highest = Math.max(highest, r.position());
            }
        }
        return highest;
    }

    /** 50013 unless the acting member ranks strictly above the target member (owner always does). */
    public void requireAbove(Member target) {
        if (!isOwner() && (target.userId() == guild.ownerId() || highestPosition() <= highestPositionOf(target))) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
        }
    }

    /** 50013 unless the acting member ranks strictly above the role (owner always does). */
    public void requireAbove(Role role) {
        if (!isOwner() && highestPosition() <= role.position()) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
        }
    }
}
