package dev.gatehouse.gateway.fanout;

import dev.gatehouse.core.event.EventData;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.perm.PermissionCalculator;
import dev.gatehouse.core.store.Store;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What fan-out needs to know to decide who may see a guild event, cached per guild: the guild,
 * its roles and channels (with overwrites) as one snapshot, and the members that were asked about.
 * Members are loaded one by one on first use, so a guild of 100,000 members costs only the members
 * with sessions on this node.
 *
 * <p>Exact by construction, not by versions: every method runs inside the guild's section of the
 * event order ({@link dev.gatehouse.core.event.EventOrder}), where the store holds exactly the
 * state the events delivered so far left. {@link #observe} replaces what an event changed with a
 * fresh read right then, so the snapshot is never missing for a followed guild; a deletion is
 * judged before it is observed, on the snapshot of the state before it. {@link #warm} loads the
 * snapshot when a session starts following the guild, so even the first event after that, if it
 * deletes something, is judged on the state before it.
 */
public final class GuildAccess {

    private record Structure(Guild guild, Map<Long, Role> roles, Map<Long, Channel> channels) {}

    private static final class Cached {
        /** Null when the guild is gone. */
        volatile Structure structure;
        final Map<Long, Optional<Member>> members = new ConcurrentHashMap<>();

        Cached(Structure structure) {
            this.structure = structure;
        }
    }

    private final Store store;
    private final Map<Long, Cached> guilds = new ConcurrentHashMap<>();

    public GuildAccess(Store store) {
        this.store = store;
    }

    /** Whether the user is a member of the guild and, when a channel is named, may view it. */
    public boolean canView(long guildId, Long channelId, long userId) {
        Cached cached = cached(guildId);
        Structure structure = cached.structure;
        if (structure == null) {
            return false;
        }
        Member member = cached.members.computeIfAbsent(userId, u -> store.read(tx -> tx.members().find(guildId, u)))
                .orElse(null);
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

    /** Loads the guild's snapshot unless cached: a session starts following the guild here. */
    public void warm(long guildId) {
        cached(guildId);
    }

    private Cached cached(long guildId) {
        Cached cached = guilds.get(guildId);
        if (cached != null) {
            return cached;
        }
        // two sessions warming one guild at once (both in its read section) load the same state
        Cached loaded = new Cached(load(guildId));
        Cached raced = guilds.putIfAbsent(guildId, loaded);
        return raced != null ? raced : loaded;
    }

    private Structure load(long guildId) {
        return store.read(tx -> tx.guilds().find(guildId).map(guild -> {
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
    }

    /**
     * Applies an event of a cached guild: what it changed is read again now, which inside the
     * guild's section is exactly the state after it. Call before fanning the event out, and after
     * for deletions (CHANNEL_DELETE, GUILD_DELETE), which are judged on the state before them.
     */
    public void observe(GatewayEvent event) {
        Long guildId = event.aboutGuild();
        if (guildId == null) {
            return;
        }
        Cached cached = guilds.get(guildId);
        if (cached == null) {
            return;
        }
        if (event.guildId() == null) {
            // joined or left: GUILD_CREATE / GUILD_DELETE to the users; their membership changed
            cached.members.keySet().removeAll(event.userIds());
            return;
        }
        switch (event.type()) {
            case GUILD_DELETE -> guilds.remove(guildId);
            case GUILD_UPDATE, GUILD_ROLE_CREATE, GUILD_ROLE_UPDATE, CHANNEL_CREATE, CHANNEL_UPDATE, CHANNEL_DELETE ->
                    cached.structure = load(guildId);
            case GUILD_ROLE_DELETE -> {
                cached.structure = load(guildId);
                // the role left every member's role list in the same transaction
                cached.members.clear();
            }
            case GUILD_MEMBER_ADD, GUILD_MEMBER_UPDATE, GUILD_MEMBER_REMOVE, GUILD_BAN_ADD -> {
                Long userId = EventData.userId(event.data());
                if (userId == null) {
                    cached.members.clear();
                } else {
                    cached.members.remove(userId);
                }
            }
            default -> { }
        }
    }

    /** Forgets a guild; call inside its section, once no session on this node follows it. */
    public void drop(long guildId) {
        guilds.remove(guildId);
    }

    /** The guilds cached now. */
    public Set<Long> cachedGuilds() {
        return Set.copyOf(guilds.keySet());
    }
}
