package dev.gatehouse.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.form.FormList;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.ChannelView;
import dev.gatehouse.core.view.GuildRoleDeleteEvent;
import dev.gatehouse.core.view.GuildRoleEvent;
import dev.gatehouse.core.view.RoleView;
import dev.gatehouse.protocol.DispatchType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Guild roles. Managing one needs MANAGE_ROLES and, unless the caller owns the guild, a highest
 * role strictly above it; permissions a caller gives or takes must be its own. {@code @everyone}
 * (id = guild id, position 0) keeps its name and place and cannot be deleted.
 */
public final class RoleService {

    /** Discord's fixed limit of roles per guild, {@code @everyone} included (30005). */
    public static final int MAX_ROLES = 250;

    private final Platform.Context ctx;

    public RoleService(Platform.Context ctx) {
        this.ctx = ctx;
    }

    /** {@code GET /guilds/{id}/roles}: any member, lowest first. */
    public List<RoleView> list(Principal who, long guildId) {
        return ctx.store().read(tx -> {
            GuildContext.load(tx, guildId, who.userId());
            return tx.roles().list(guildId).stream().map(RoleView::of).toList();
        });
    }

    /** {@code GET /guilds/{id}/roles/{role}}: any member; a role of another guild is 10011. */
    public RoleView get(Principal who, long guildId, long roleId) {
        return ctx.store().read(tx -> {
            GuildContext g = GuildContext.load(tx, guildId, who.userId());
            return RoleView.of(role(g, roleId));
        });
    }

    private static Role role(GuildContext g, long roleId) {
        Role r = g.roles().get(roleId);
        if (r == null) {
            throw new ApiException(ErrorCode.UNKNOWN_ROLE);
        }
        return r;
    }

    private record Fields(String name, Long permissions, Integer color, Boolean hoist, Boolean mentionable) {
        static Fields read(Form form) {
            Long permissions = form.optPermissions("permissions");
            return new Fields(form.optString("name", 1, 100), permissions == null ? null : permissions & Permission.ALL,
                    form.optInt("color", 0, 0xFFFFFF), form.optBool("hoist"), form.optBool("mentionable"));
        }
    }

    /**
     * {@code POST /guilds/{id}/roles}: a role at position 1, every other role moving up one, as on
     * Discord. Without {@code permissions} it starts with {@code @everyone}'s.
     */
    public RoleView create(Principal who, long guildId, Form form) {
        Fields f = Fields.read(form);
        long id = ctx.ids().next();
        return ctx.inGuild(guildId, () -> {
            RoleView created = ctx.store().write(tx -> {
                GuildContext g = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_ROLES);
                form.validate();
                if (g.roles().size() >= MAX_ROLES) {
                    throw new ApiException(ErrorCode.MAX_ROLES);
                }
                long permissions = f.permissions() != null ? f.permissions() : g.roles().get(guildId).permissions();
                requireOwnBits(g, permissions);
                List<Role> shifted = new ArrayList<>();
                for (Role r : g.roles().values()) {
                    if (!r.isEveryone() && r.position() >= 1) {
                        tx.roles().updatePosition(guildId, r.id(), r.position() + 1);
                        shifted.add(withPosition(r, r.position() + 1));
                    }
                }
                Role role = new Role(id, guildId, f.name() != null ? f.name() : "new role", f.color() != null ? f.color() : 0,
                        Boolean.TRUE.equals(f.hoist()), 1, permissions, false, Boolean.TRUE.equals(f.mentionable()));
                tx.roles().insert(role);
                RoleView view = RoleView.of(role);
                tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_ROLE_CREATE, guildId, new GuildRoleEvent(guildId, view)));
                publishUpdates(tx, guildId, shifted);
                return view;
            });
            return created;
        });
    }

    /** 50013 when {@code bits} hold a permission the caller lacks (owner and admins lack none). */
    private static void requireOwnBits(GuildContext g, long bits) {
        if ((bits & ~g.permissions()) != 0) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
        }
    }

    private static Role withPosition(Role r, int position) {
        return new Role(r.id(), r.guildId(), r.name(), r.color(), r.hoist(), position, r.permissions(), r.managed(), r.mentionable());
    }

    /** {@code PATCH /guilds/{id}/roles/{role}}: the role's name (not {@code @everyone}'s), bits, colour, flags. */
    public RoleView modify(Principal who, long guildId, long roleId, Form form) {
        Fields f = Fields.read(form);
        return ctx.inGuild(guildId, () -> {
            RoleView modified = ctx.store().write(tx -> {
                GuildContext g = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_ROLES);
                Role role = role(g, roleId);
                g.requireAbove(role);
                if (role.isEveryone() && f.name() != null && !f.name().equals(role.name())) {
                    form.error("name", "ROLE_EVERYONE_NAME", "The @everyone role cannot be renamed.");
                }
                form.validate();
                long permissions = f.permissions() != null ? f.permissions() : role.permissions();
                requireOwnBits(g, permissions ^ role.permissions());
                Role next = new Role(role.id(), guildId, f.name() != null ? f.name() : role.name(),
                        f.color() != null ? f.color() : role.color(), f.hoist() != null ? f.hoist() : role.hoist(),
                        role.position(), permissions, role.managed(), f.mentionable() != null ? f.mentionable() : role.mentionable());
                if (next.equals(role)) {
                    return RoleView.of(role);
                }
                tx.roles().update(next);
                RoleView view = RoleView.of(next);
                tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_ROLE_UPDATE, guildId, new GuildRoleEvent(guildId, view)));
                return view;
            });
            return modified;
        });
    }

    /**
     * {@code DELETE /guilds/{id}/roles/{role}}: the role leaves every member and every channel
     * overwrite with it; each channel that lost an overwrite gets a CHANNEL_UPDATE, so gateways
     * keeping overwrites in memory stay right. {@code @everyone}: 50028.
     */
    public void delete(Principal who, long guildId, long roleId) {
        ctx.inGuild(guildId, () -> ctx.store().write(tx -> {
            GuildContext g = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_ROLES);
            Role role = role(g, roleId);
            if (role.isEveryone()) {
                throw new ApiException(ErrorCode.INVALID_ROLE, "The @everyone role cannot be deleted.");
            }
            g.requireAbove(role);
            List<Long> channels = tx.channels().listByGuild(guildId).stream()
                    .filter(c -> c.overwrites().stream().anyMatch(o -> o.id() == roleId))
                    .map(Channel::id).toList();
            tx.members().removeRoleFromAll(guildId, roleId);
            tx.channels().deleteOverwritesFor(guildId, roleId);
            tx.roles().delete(guildId, roleId);
            tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_ROLE_DELETE, guildId, new GuildRoleDeleteEvent(guildId, roleId)));
            for (long id : channels) {
                Channel c = tx.channels().find(id).orElseThrow();
                tx.events().publish(GatewayEvent.channel(DispatchType.CHANNEL_UPDATE, guildId, c.id(), ChannelView.of(c)));
            }
            return null;
        }));
    }

    /**
     * {@code PATCH /guilds/{id}/roles}: {@code [{id, position}]}, answered with every role. Only
     * roles below the caller's highest may move, and only to below it. The roles are then numbered
     * 1..n again in the resulting order; a moved role goes in front of the roles already at its
     * new position when moving down and behind them when moving up, so a single move means
     * "put it there".
     */
    public List<RoleView> reorder(Principal who, long guildId, JsonNode body) {
        FormList list = FormList.of(body, MAX_ROLES);
        List<Long> ids = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (Form item : list.items()) {
            ids.add(item == null ? null : item.snowflake("id"));
            positions.add(item == null ? null : item.optInt("position", 0, Integer.MAX_VALUE));
        }
        return ctx.inGuild(guildId, () -> {
            List<RoleView> result = ctx.store().write(tx -> {
                GuildContext g = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_ROLES);
                Map<Long, Integer> wanted = new LinkedHashMap<>();
                Set<Long> seen = new HashSet<>();
                for (int i = 0; i < ids.size(); i++) {
                    Long id = ids.get(i);
                    Integer position = positions.get(i);
                    if (id == null) {
                        continue;
                    }
                    Role r = g.roles().get(id);
                    if (r == null) {
                        list.error(i, "id", "UNKNOWN_ROLE", "Unknown role.");
                    } else if (!seen.add(id)) {
                        list.error(i, "id", "ROLE_DUPLICATE", "A role may appear only once.");
                    } else if (r.isEveryone() && position != null && position != 0) {
                        list.error(i, "position", "ROLE_EVERYONE_POSITION", "The @everyone role cannot be moved.");
                    } else if (!r.isEveryone() && position != null && position != r.position()) {
                        wanted.put(id, position);
                    }
                }
                list.validate();
                for (Map.Entry<Long, Integer> e : wanted.entrySet()) {
                    g.requireAbove(g.roles().get(e.getKey()));
                    if (!g.isOwner() && e.getValue() >= g.highestPosition()) {
                        throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
                    }
                }
                List<Role> order = new ArrayList<>(g.roles().values().stream().filter(r -> !r.isEveryone()).toList());
                order.sort(Comparator.<Role>comparingInt(r -> wanted.getOrDefault(r.id(), r.position()))
                        .thenComparingInt(r -> Integer.signum(wanted.getOrDefault(r.id(), r.position()) - r.position()))
                        .thenComparingLong(Role::id));
                List<Role> changed = new ArrayList<>();
                List<Role> all = new ArrayList<>();
                all.add(g.roles().get(guildId));
                for (int i = 0; i < order.size(); i++) {
                    Role r = order.get(i);
                    if (r.position() != i + 1) {
                        tx.roles().updatePosition(guildId, r.id(), i + 1);
                        r = withPosition(r, i + 1);
                        changed.add(r);
                    }
                    all.add(r);
                }
                publishUpdates(tx, guildId, changed);
                return all.stream().map(RoleView::of).toList();
            });
            return result;
        });
    }

    private static void publishUpdates(Tx tx, long guildId, List<Role> roles) {
        for (Role r : roles) {
            tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_ROLE_UPDATE, guildId, new GuildRoleEvent(guildId, RoleView.of(r))));
        }
    }
}
