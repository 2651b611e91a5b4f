package dev.gatehouse.gateway.lazy;

import dev.gatehouse.core.event.EventOrder;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.perm.PermissionCalculator;
import dev.gatehouse.core.store.Store;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.gateway.fanout.GuildAccess;
import dev.gatehouse.gateway.hub.Subscriber;
import dev.gatehouse.gateway.presence.PresenceRegistry;
import dev.gatehouse.gateway.presence.PresenceView;
import dev.gatehouse.gateway.session.ConnectionIO;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.gateway.session.ServerFrames;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Op 14 member lists (fluxer): sessions subscribe to ranges of a channel's member list, get a
 * GUILD_MEMBER_LIST_UPDATE with SYNC ops for them, then INSERT/UPDATE/DELETE ops as members join,
 * leave, change roles or come online. One list per guild and visibility rule is shared by every
 * subscribed session of the node; presence changes patch it in memory, membership and role changes
 * reload it from the store. Lists of guilds above {@link #MAX_MEMBERS} show the first members only.
 */
public final class LazyLists {

    private static final Logger log = LoggerFactory.getLogger(LazyLists.class);
    static final int MAX_MEMBERS = 10_000;

    private record ListKey(long guildId, String listId) {}

    /** What a member row needs besides presence, loaded from the store. */
    private record Base(long userId, String displayName, MemberList.HoistedRole hoistedRole, Map<String, Object> member) {}

    private static final class ListState {
        final long channelId;
        volatile Map<Long, Base> bases = Map.of();
        volatile MemberList list;
        final Map<Subscriber, List<LazyRequest.Range>> subscribers = new ConcurrentHashMap<>();

        ListState(long channelId) {
            this.channelId = channelId;
        }
    }

    private final Store store;
    private final GuildAccess access;
    private final PresenceRegistry presences;
    private final Executor blocking;
    private final EventOrder order;
    private final LongSupplier clock;
    private final Map<ListKey, ListState> lists = new ConcurrentHashMap<>();

    public LazyLists(Store store, GuildAccess access, PresenceRegistry presences, Executor blocking, EventOrder order,
            LongSupplier clock) {
        this.store = store;
        this.access = access;
        this.presences = presences;
        this.blocking = blocking;
        this.order = order;
        this.clock = clock;
    }

    /**
     * Op 14. Runs in the guild's read section: the access check and the SYNC are of the same point
     * of the guild's order, and every change after it reaches the subscriber.
     */
    public void request(Subscriber subscriber, ConnectionIO io, LazyRequest request) {
        blocking.execute(() -> {
            try {
                order.reading(request.guildId(), () -> {
                    subscribe(subscriber, io, request);
                    return null;
                });
            } catch (RuntimeException e) {
                log.error("lazy request failed", e);
            }
        });
    }

    private void subscribe(Subscriber subscriber, ConnectionIO io, LazyRequest request) {
        long guildId = request.guildId();
        long userId = subscriber.session().identity().userId();
        if (subscriber.session().isEnded()) {
            return;
        }
        Optional<Guild> guild = store.read(tx -> tx.guilds().find(guildId));
        if (guild.isEmpty() || !access.canView(guildId, null, userId)) {
            io.send(ServerFrames.gatewayError("UNKNOWN_GUILD", "Unknown guild " + guildId));
            return;
        }
        for (Map.Entry<Long, List<LazyRequest.Range>> wanted : request.channels().entrySet()) {
            Channel channel = store.read(tx -> tx.channels().find(wanted.getKey())).orElse(null);
            if (channel == null || channel.guildId() == null || channel.guildId() != guildId
                    || !access.canView(guildId, channel.id(), userId)) {
                io.send(ServerFrames.gatewayError("UNKNOWN_CHANNEL", "Unknown channel " + wanted.getKey()));
                continue;
            }
            ListKey key = new ListKey(guildId, listId(guild.get(), channel));
            ListState state = register(subscriber, key, channel.id(), wanted.getValue());
            synchronized (state) {
                if (state.list == null && !reload(key, state)) {
                    continue;
                }
                List<Map<String, Object>> ops = new ArrayList<>();
                for (LazyRequest.Range range : wanted.getValue()) {
                    ops.add(state.list.sync(range));
                }
                subscriber.send("GUILD_MEMBER_LIST_UPDATE", Json.bytes(update(key, state.list, ops)), clock);
            }
        }
    }

    /**
     * Subscribes the session to a list, creating it if needed. A session follows one list per
     * guild: subscribing to another channel's list leaves the previous one. Registration and
     * removal share one lock, so a list is never dropped between its creation and its first
     * subscriber (lazy requests are rare; events never take this lock).
     */
    private synchronized ListState register(Subscriber subscriber, ListKey key, long channelId, List<LazyRequest.Range> ranges) {
        unsubscribe(s -> s == subscriber, k -> k.guildId() == key.guildId() && !k.equals(key));
        ListState state = lists.computeIfAbsent(key, k -> new ListState(channelId));
        state.subscribers.put(subscriber, ranges);
        return state;
    }

    /** Removes the matching subscribers from the matching lists; lists nobody follows go. */
    private synchronized void unsubscribe(Predicate<Subscriber> who, Predicate<ListKey> which) {
        lists.entrySet().removeIf(e -> {
            if (which.test(e.getKey())) {
                e.getValue().subscribers.keySet().removeIf(who);
            }
            return e.getValue().subscribers.isEmpty();
        });
    }

    /**
     * Keeps the lists current; called for every bus event after it was fanned out, inside the
     * event's section, so list updates queue behind the event on each session's home loop. Access
     * removed means the list stops: a member who left or was removed, or who may no longer view
     * the list's channel, is unsubscribed before the update goes out.
     */
    public void observe(GatewayEvent event) {
        Long about = event.aboutGuild();
        if (about == null || lists.isEmpty()) {
            return;
        }
        long guildId = about;
        switch (event.type()) {
            case GUILD_DELETE -> {
                if (event.isDirected()) {
                    unsubscribe(s -> event.userIds().contains(s.session().identity().userId()), k -> k.guildId() == guildId);
                } else {
                    unsubscribe(s -> true, k -> k.guildId() == guildId);
                    return;
                }
            }
            case GUILD_MEMBER_REMOVE, GUILD_BAN_ADD, GUILD_MEMBER_UPDATE, GUILD_ROLE_UPDATE, GUILD_ROLE_DELETE, GUILD_UPDATE,
                    CHANNEL_UPDATE, CHANNEL_DELETE -> dropThoseWhoLostAccess(guildId);
            default -> { }
        }
        if (event.guildId() == null) {
            return;
        }
        boolean presenceOnly = event.type() == DispatchType.PRESENCE_UPDATE;
        boolean structural = switch (event.type()) {
            case GUILD_MEMBER_ADD, GUILD_MEMBER_UPDATE, GUILD_MEMBER_REMOVE, GUILD_ROLE_CREATE, GUILD_ROLE_UPDATE,
                    GUILD_ROLE_DELETE, GUILD_UPDATE, CHANNEL_UPDATE, CHANNEL_DELETE -> true;
            default -> false;
        };
        if (!presenceOnly && !structural) {
            return;
        }
        for (Map.Entry<ListKey, ListState> e : lists.entrySet()) {
            if (e.getKey().guildId() != event.guildId()) {
                continue;
            }
            ListState state = e.getValue();
            try {
                refresh(e.getKey(), state, presenceOnly ? event.data() : null);
            } catch (RuntimeException ex) {
                log.error("member list refresh failed", ex);
            }
        }
    }

    private void refresh(ListKey key, ListState state, Object presence) {
        synchronized (state) {
            MemberList before = state.list;
            if (before == null) {
                return;
            }
            if (presence instanceof PresenceView p && !state.bases.containsKey(p.userId())) {
                return; // not on this list
            }
            if (presence != null) {
                state.list = build(state.bases);
            } else if (!reload(key, state)) {
                return;
            }
            List<Map<String, Object>> ops = state.list.diff(before);
            if (ops.isEmpty()) {
                return;
            }
            byte[] body = Json.bytes(update(key, state.list, ops));
            state.subscribers.keySet().removeIf(s -> s.session().isEnded());
            for (Subscriber s : state.subscribers.keySet()) {
                s.send("GUILD_MEMBER_LIST_UPDATE", body, clock);
            }
        }
    }

    /** Reloads the members who may see the channel; false when the guild or channel is gone. */
    private boolean reload(ListKey key, ListState state) {
        Map<Long, Base> bases = store.read(tx -> {
            Guild guild = tx.guilds().find(key.guildId()).orElse(null);
            Channel channel = tx.channels().find(state.channelId).orElse(null);
            if (guild == null || channel == null) {
                return null;
            }
            Map<Long, Role> roles = new HashMap<>();
            tx.roles().list(key.guildId()).forEach(r -> roles.put(r.id(), r));
            Map<Long, Base> out = new LinkedHashMap<>();
            long after = 0;
            while (out.size() < MAX_MEMBERS) {
                List<Member> page = tx.members().list(key.guildId(), after, 1000);
                if (page.isEmpty()) {
                    break;
                }
                after = page.getLast().userId();
                Map<Long, User> users = new HashMap<>();
                tx.users().findAll(page.stream().map(Member::userId).toList()).forEach(u -> users.put(u.id(), u));
                for (Member m : page) {
                    User u = users.get(m.userId());
                    if (u != null && Permission.VIEW_CHANNEL.in(PermissionCalculator.inChannel(guild, m, roles, channel))) {
                        out.put(u.id(), base(m, u, roles));
                    }
                }
            }
            return out;
        });
        if (bases == null) {
            // the guild or channel is gone: the list is dropped with its subscribers
            synchronized (this) {
                state.subscribers.clear();
                lists.remove(key, state);
            }
            return false;
        }
        state.bases = bases;
        state.list = build(bases);
        return true;
    }

    private MemberList build(Map<Long, Base> bases) {
        List<MemberList.Entry> entries = new ArrayList<>(bases.size());
        for (Base b : bases.values()) {
            Optional<PresenceView> presence = presences.get(b.userId());
            Map<String, Object> payload = new LinkedHashMap<>(b.member());
            presence.ifPresent(p -> payload.put("presence", Json.mapper().convertValue(p, LinkedHashMap.class)));
            entries.add(new MemberList.Entry(b.userId(), b.displayName(), presence.isPresent(), b.hoistedRole(), payload));
        }
        return MemberList.of(entries);
    }

    @SuppressWarnings("unchecked")
    private static Base base(Member m, User u, Map<Long, Role> roles) {
        MemberList.HoistedRole hoisted = m.roles().stream().map(roles::get)
                .filter(r -> r != null && r.hoist() && !r.isEveryone())
                .max(Comparator.comparingInt(Role::position).thenComparingLong(Role::id))
                .map(r -> new MemberList.HoistedRole(r.id(), r.position())).orElse(null);
        String name = m.nick() != null ? m.nick() : u.globalName() != null ? u.globalName() : u.username();
        return new Base(u.id(), name, hoisted, Json.mapper().convertValue(MemberView.of(m, u), LinkedHashMap.class));
    }

    private static Map<String, Object> update(ListKey key, MemberList list, List<Map<String, Object>> ops) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("guild_id", key.guildId());
        body.put("id", key.listId());
        body.put("member_count", list.memberCount());
        body.put("online_count", list.onlineCount());
        body.put("groups", list.groups());
        body.put("ops", ops);
        return body;
    }

    /**
     * "everyone" when the channel hides from nobody; otherwise a stable hash of the overwrites that
     * decide who sees it, so channels with the same rule share one list.
     */
    static String listId(Guild guild, Channel channel) {
        boolean hidden = false;
        List<String> rules = new ArrayList<>();
        long view = Permission.VIEW_CHANNEL.bit;
        for (Overwrite o : channel.overwrites()) {
            if (((o.allow() | o.deny()) & view) != 0) {
                rules.add(o.type() + ":" + o.id() + ":" + ((o.allow() & view) != 0 ? "allow" : "deny"));
                hidden |= (o.deny() & view) != 0;
            }
        }
        if (!hidden) {
            return "everyone";
        }
        rules.sort(String::compareTo);
        return Integer.toUnsignedString(String.join(",", rules).hashCode());
    }

    /** Unsubscribes, from the guild's lists, every session that may no longer view the list's channel. */
    private void dropThoseWhoLostAccess(long guildId) {
        for (Map.Entry<ListKey, ListState> e : lists.entrySet()) {
            if (e.getKey().guildId() != guildId) {
                continue;
            }
            long channelId = e.getValue().channelId;
            Map<Long, Boolean> allowed = new HashMap<>();
            unsubscribe(s -> !allowed.computeIfAbsent(s.session().identity().userId(),
                    u -> access.canView(guildId, channelId, u)), k -> k.equals(e.getKey()));
        }
    }

    /** The session ended: it follows no list any more, and lists nobody follows go. */
    public void forget(GatewaySession session) {
        unsubscribe(s -> s.session() == session, k -> true);
    }

    /** How many sessions follow some list of the guild (for tests and metrics). */
    public int subscribers(long guildId) {
        return lists.entrySet().stream().filter(e -> e.getKey().guildId() == guildId)
                .mapToInt(e -> e.getValue().subscribers.size()).sum();
    }
}
