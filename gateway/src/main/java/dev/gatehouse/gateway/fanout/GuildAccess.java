package dev.gatehouse.gateway.fanout;

import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.perm.PermissionCalculator;
import dev.gatehouse.core.store.Store;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What fan-out needs to know to decide who may see a guild event, cached per guild and kept
 * current by the events themselves: the guild, its roles and channels (with overwrites) as one
 * snapshot, and the members that were asked about. Members are loaded one by one on first use, so
 * a guild of 100,000 members costs only the members with sessions on this node.
 *
 * <p>Correctness before cleverness: an event that changes what the cache holds drops the affected
 * part, and the next question reloads it from the store. A load that raced with such an event is
 * not installed (the per-guild version moved on). Called from publishing threads, which may block.
 */
public final class GuildAccess {

    private record Structure(Guild guild, Map<Long, Role> roles, Map<Long, Channel> channels) {}

    private static final class Cached {
        final AtomicLong version = new AtomicLong();
        volatile Structure structure;
        final Map<Long, Optional<Member>> members = new ConcurrentHashMap<>();
    }

    private final Store store;
    private final Map<Long, Cached> guilds = new ConcurrentHashMap<>();

    public GuildAccess(Store store) {
        this.store = store;
    }

    /** Whether the user is a member of the guild and, when a channel is named, may view it. */
    public boolean canView(long guildId, Long channelId, long userId) {
        Cached cached = guilds.computeIfAbsent(guildId, id -> new Cached());
        Structure structure = structure(guildId, cached);
        if (structure == null) {
            return false;
        }
        Member member = member(guildId, userId, cached);
        if (member == null) {
            return false;
        }
        if (channelId == null) {
            return true;
        }
        Channel channel = structure.channels().get(channelId);
        if (channel == null) {
            return false;
        }
        long perms = PermissionCalculator.inChannel(structure.guild(), member, structure.roles(), channel);
        return Permission.VIEW_CHANNEL.in(perms);
    }

    private Structure structure(long guildId, Cached cached) {
        Structure s = cached.structure;
        if (s != null) {
            return s;
        }
        long version = cached.version.get();
        Structure loaded = store.read(tx -> tx.guilds().find(guildId).map(guild -> {
            Map<Long, Role> roles = new HashMap<>();
            for (Role r : tx.roles().list(guildId)) {
                roles.put(r.id(), r);
            }
            Map<Long, Channel> channels = new HashMap<>();
            for (Channel c : tx.channels().listByGuild(guildId)) {
                channels.put(c.id(), c);
            }
            return new Structure(guild, Map.copyOf(roles), Map.copyOf(channels));
        }).orElse(null));
        if (loaded != null && cached.version.get() == version) {
            cached.structure = loaded;
        }
        return loaded;
    }

    private Member member(long guildId, long userId, Cached cached) {
        Optional<Member> known = cached.members.get(userId);
        if (known != null) {
            return known.orElse(null);
        }
        long version = cached.version.get();
        Optional<Member> loaded = store.read(tx -> tx.members().find(guildId, userId));
        if (cached.version.get() == version) {
            cached.members.put(userId, loaded);
        }
        return loaded.orElse(null);
    }

    /** Applies an event to the cache; call before fanning it out (deletions after). */
    public void observe(GatewayEvent event) {
        if (event.guildId() == null) {
            if (event.isDirected()) {
                // joined or left: GUILD_CREATE / GUILD_DELETE to the user; membership is in question
                Long guildId = guildOf(event);
                if (guildId != null) {
                    forgetMembers(guildId, event.userIds());
                }
            }
            return;
        }
        long guildId = event.guildId();
        switch (event.type()) {
            case GUILD_DELETE -> guilds.remove(guildId);
            case GUILD_UPDATE, GUILD_ROLE_CREATE, GUILD_ROLE_UPDATE, GUILD_ROLE_DELETE, CHANNEL_CREATE, CHANNEL_UPDATE,
                    CHANNEL_DELETE -> forgetStructure(guildId);
            case GUILD_MEMBER_ADD, GUILD_MEMBER_UPDATE, GUILD_MEMBER_REMOVE, GUILD_BAN_ADD -> {
                Long userId = userIdOf(event.data());
                if (userId == null) {
                    forgetAllMembers(guildId);
                } else {
                    forgetMembers(guildId, Set.of(userId));
                }
            }
            default -> { }
        }
        if (event.type() == DispatchType.GUILD_ROLE_DELETE) {
            // the role left every member's role list in the same transaction
            forgetAllMembers(guildId);
        }
    }

    /** Keeps only the guilds in the set (those some local session follows). */
    public void retain(Set<Long> guildIds) {
        guilds.keySet().retainAll(guildIds);
    }

    int cachedGuilds() {
        return guilds.size();
    }

    private void forgetStructure(long guildId) {
        Cached cached = guilds.get(guildId);
        if (cached != null) {
            cached.version.incrementAndGet();
            cached.structure = null;
        }
    }

    private void forgetMembers(long guildId, Set<Long> userIds) {
        Cached cached = guilds.get(guildId);
        if (cached != null) {
            cached.version.incrementAndGet();
            cached.members.keySet().removeAll(userIds);
        }
    }

    private void forgetAllMembers(long guildId) {
        Cached cached = guilds.get(guildId);
        if (cached != null) {
            cached.version.incrementAndGet();
            cached.members.clear();
        }
    }

    private static Long userIdOf(Object data) {
        if (data instanceof MemberView m && m.user() != null) {
            return m.user().id();
        }
        if (data instanceof Map<?, ?> map && map.get("user") instanceof UserView u) {
            return u.id();
        }
        return null;
    }

    /**
     * The guild an event is about. Guild events say so; GUILD_CREATE and GUILD_DELETE sent to the
     * users who joined or left carry it in their body instead.
     */
    public static Long guildOf(GatewayEvent event) {
        if (event.guildId() != null) {
            return event.guildId();
        }
        if ((event.type() == DispatchType.GUILD_CREATE || event.type() == DispatchType.GUILD_DELETE)
                && event.data() instanceof Map<?, ?> map && map.get("id") != null) {
            Object id = map.get("id");
            try {
                return id instanceof Number n ? n.longValue() : Long.parseLong(id.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
