package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.FieldErrors;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Guild membership: joining, reading, nicknames and roles of members, kicks and leaving. */
public final class MemberService {

    /** Longest search query accepted; Discord documents none, usernames are at most 32. */
    static final int MAX_QUERY_LENGTH = 100;

    private final Platform.Context ctx;
    private final GuildService guilds;
    private final VoiceService voice;

    public MemberService(Platform.Context ctx, GuildService guilds, VoiceService voice) {
        this.ctx = ctx;
        this.guilds = guilds;
        this.voice = voice;
    }

    /** What a join did: the member, and whether it was new (false: the user already was one). */
    public record Joined(Member member, boolean created) {}

    /**
     * Work a caller needs in the join's own transaction, run only once the user may join (not a
     * member, not banned, under the guild limit) and just before the member row is written, so
     * that it commits or rolls back with the join: counting an invite use, creating a bot's role.
     */
    @FunctionalInterface
    interface Admit {
        /** The roles the new member gets; what it publishes goes out before GUILD_MEMBER_ADD. */
        Set<Long> admit(Tx tx);
    }

    /**
     * Adds the user to the guild (invite accepted, bot authorised, operator command). Banned
     * users get 40007; a user already in the guild is left as is and nothing is published. A new
     * member publishes GUILD_MEMBER_ADD to the guild and GUILD_CREATE to the user.
     */
    public Joined join(long guildId, long userId, Set<Long> roleIds) {
        return join(guildId, userId, tx -> roleIds);
    }

    Joined join(long guildId, long userId, Admit admit) {
        long now = ctx.clock().millis();
        return ctx.inGuildJoinedBy(guildId, userId, () -> {
            try {
                return ctx.store().write(tx -> {
                    tx.guilds().find(guildId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_GUILD));
                    User user = tx.users().find(userId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
                    Optional<Member> existing = tx.members().find(guildId, userId);
                    if (existing.isPresent()) {
                        return new Joined(existing.get(), false);
                    }
                    if (tx.bans().find(guildId, userId).isPresent()) {
                        throw new ApiException(ErrorCode.USER_BANNED);
                    }
                    if (tx.guilds().countOwnedOrJoined(userId) >= ctx.limits().maxGuildsPerUser()) {
                        throw new ApiException(ErrorCode.MAX_GUILDS, "Maximum number of guilds reached (" + ctx.limits().maxGuildsPerUser() + ")");
                    }
                    Member member = new Member(guildId, userId, null, now, Set.copyOf(admit.admit(tx)));
                    if (!tx.members().insert(member)) {
                        // another process joined the user first: the admission (an invite use, a
                        // bot role) rolls back with this transaction
                        throw new AlreadyMember();
                    }
                    tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_MEMBER_ADD, guildId,
                            MemberView.of(member, user).withGuildId(guildId)));
                    tx.events().publish(GatewayEvent.users(DispatchType.GUILD_CREATE, Set.of(userId),
                            guilds.fullGuild(tx, guildId, userId, GuildService.DEFAULT_LARGE_THRESHOLD)));
                    return new Joined(member, true);
                });
            } catch (AlreadyMember e) {
                Member existing = ctx.store().read(tx -> requireMember(tx, guildId, userId));
                return new Joined(existing, false);
            }
        });
    }

    /** The member row was there when the insert ran: the join is not this transaction's. */
    private static final class AlreadyMember extends RuntimeException {
        AlreadyMember() {
            super("already a member", null, false, false);
        }
    }

    static Member requireMember(Tx tx, long guildId, long userId) {
        return tx.members().find(guildId, userId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_MEMBER));
    }

    /** {@code GET /guilds/{id}/members}: any member may list, by user id after {@code after}. */
    public List<MemberView> list(Principal who, long guildId, int limit, long after) {
        return ctx.store().read(tx -> {
            GuildContext.load(tx, guildId, who.userId());
            return views(tx, tx.members().list(guildId, after, limit));
        });
    }

    /** {@code GET /guilds/{id}/members/{user.id}}: 10007 when the user is no member. */
    public MemberView get(Principal who, long guildId, long userId) {
        return ctx.store().read(tx -> {
            GuildContext.load(tx, guildId, who.userId());
            return view(tx, requireMember(tx, guildId, userId));
        });
    }

    /** {@code GET /guilds/{id}/members/search}: username, global name or nick starting with the query. */
    public List<MemberView> search(Principal who, long guildId, String query, int limit) {
        if (query == null || query.isEmpty()) {
            throw FieldErrors.single("query", "BASE_TYPE_REQUIRED", "This field is required");
        }
        if (query.codePointCount(0, query.length()) > MAX_QUERY_LENGTH) {
            throw FieldErrors.single("query", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and " + MAX_QUERY_LENGTH + " in length.");
        }
        return ctx.store().read(tx -> {
            GuildContext.load(tx, guildId, who.userId());
            return views(tx, tx.members().search(guildId, query, limit));
        });
    }

    /**
     * {@code PATCH /guilds/{id}/members/{user.id}}: {@code nick} (MANAGE_NICKNAMES, or
     * CHANGE_NICKNAME on oneself; null or empty clears) and {@code roles}, the member's whole new
     * role list (MANAGE_ROLES; every role added or removed must be below the caller's highest and
     * not managed). For a member in a voice channel: {@code mute} (MUTE_MEMBERS), {@code deaf}
     * (DEAFEN_MEMBERS), and {@code channel_id} (MOVE_MEMBERS; another voice channel of the guild the
     * caller may connect to, or null to disconnect); for one who is not, those fields are 40032.
     * Timeouts are not served and ignored.
     */
    public MemberView modify(Principal who, long guildId, long userId, Form form) {
        boolean nickGiven = form.has("nick");
        String nick = form.optString("nick", 0, 32);
        Set<Long> roles = form.optSnowflakes("roles", 250);
        Boolean mute = form.optBool("mute");
        Boolean deaf = form.optBool("deaf");
        boolean moveGiven = form.has("channel_id");
        Long moveTo = form.optSnowflake("channel_id");
        form.validate();
        boolean voiceChange = mute != null || deaf != null || moveGiven;
        return ctx.inGuild(guildId, () -> { // one section: the voice state checked is the one changed
            MemberView view = update(guildId, who.userId(), userId, tx -> {
                GuildContext gc = GuildContext.load(tx, guildId, who.userId());
                if (voiceChange) {
                    requireVoiceModeration(tx, gc, mute, deaf, moveGiven, moveTo);
                    if (voice.find(guildId, userId) == null) {
                        throw new ApiException(ErrorCode.TARGET_NOT_CONNECTED_TO_VOICE);
                    }
                }
                return change(tx, gc, userId, nickGiven, nick, roles);
            });
            if (voiceChange) {
                voice.moderate(guildId, userId, mute, deaf, moveGiven, moveTo);
            }
            return view;
        });
    }

    private static void requireVoiceModeration(Tx tx, GuildContext gc, Boolean mute, Boolean deaf, boolean moveGiven,
            Long moveTo) {
        if (mute != null) {
            gc.require(Permission.MUTE_MEMBERS);
        }
        if (deaf != null) {
            gc.require(Permission.DEAFEN_MEMBERS);
        }
        if (moveGiven) {
            gc.require(Permission.MOVE_MEMBERS);
        }
        if (moveTo != null) {
            Channel target = tx.channels().find(moveTo).orElse(null);
            if (target == null || target.guildId() == null || target.guildId() != gc.guild().id()
                    || !ChannelType.isVoice(target.type())) {
                throw new ApiException(ErrorCode.UNKNOWN_CHANNEL);
            }
            if (!Permission.CONNECT.in(gc.permissionsIn(target))) {
                throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
            }
        }
    }

    /** The member after a nick and role change, checked against the caller. */
    private Member change(Tx tx, GuildContext gc, long userId, boolean nickGiven, String nick, Set<Long> roles) {
        long guildId = gc.guild().id();
        if (nickGiven) {
            requireNickPermission(gc, userId);
        }
        if (roles != null) {
            gc.require(Permission.MANAGE_ROLES);
        }
        Member target = requireMember(tx, guildId, userId);
        if (nickGiven && userId != gc.member().userId()) {
            gc.requireAbove(target);
        }
        if (roles != null) {
            checkRoleChange(gc, target.roles(), roles);
        }
        return new Member(guildId, userId, nickGiven ? blankToNull(nick) : target.nick(), target.joinedAt(),
                roles != null ? Set.copyOf(roles) : target.roles());
    }

    /** {@code PATCH /guilds/{id}/members/@me}: the caller's own nick, with CHANGE_NICKNAME. */
    public MemberView modifyMe(Principal who, long guildId, Form form) {
        boolean nickGiven = form.has("nick");
        String nick = form.optString("nick", 0, 32);
        form.validate();
        return update(guildId, who.userId(), who.userId(), tx -> {
            GuildContext gc = GuildContext.load(tx, guildId, who.userId());
            Member self = gc.member();
            if (!nickGiven) {
                return self;
            }
            requireNickPermission(gc, who.userId());
            return new Member(guildId, self.userId(), blankToNull(nick), self.joinedAt(), self.roles());
        });
    }

    /** {@code PUT /guilds/{id}/members/{user.id}/roles/{role.id}}; adding a role the member has changes nothing. */
    public void addRole(Principal who, long guildId, long userId, long roleId) {
        update(guildId, who.userId(), userId, tx -> {
            GuildContext gc = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_ROLES);
            Role role = assignableRole(gc, roleId);
            Member target = requireMember(tx, guildId, userId);
            Set<Long> next = new LinkedHashSet<>(target.roles());
            next.add(role.id());
            return new Member(guildId, userId, target.nick(), target.joinedAt(), next);
        });
    }

    /** {@code DELETE /guilds/{id}/members/{user.id}/roles/{role.id}}; removing a role the member lacks changes nothing. */
    public void removeRole(Principal who, long guildId, long userId, long roleId) {
        update(guildId, who.userId(), userId, tx -> {
            GuildContext gc = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_ROLES);
            Role role = assignableRole(gc, roleId);
            Member target = requireMember(tx, guildId, userId);
            Set<Long> next = new LinkedHashSet<>(target.roles());
            next.remove(role.id());
            return new Member(guildId, userId, target.nick(), target.joinedAt(), next);
        });
    }

    /**
     * Computes a member's new state in one write transaction, stores what changed and publishes
     * GUILD_MEMBER_UPDATE when anything did.
     */
    private MemberView update(long guildId, long actorId, long userId, Function<Tx, Member> change) {
        return ctx.inGuild(guildId, () -> ctx.store().write(tx -> {
            Member before = tx.members().find(guildId, userId).orElse(null);
            Member after = change.apply(tx);
            boolean changed = before != null && (!Objects.equals(before.nick(), after.nick()) || !before.roles().equals(after.roles()));
            if (changed && !Objects.equals(before.nick(), after.nick())) {
                tx.members().updateNick(guildId, userId, after.nick());
            }
            if (changed && !before.roles().equals(after.roles())) {
                tx.members().setRoles(guildId, userId, after.roles());
            }
            MemberView view = view(tx, changed ? requireMember(tx, guildId, userId) : after);
            if (changed) {
                tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_MEMBER_UPDATE, guildId, view.withGuildId(guildId)));
            }
            return view;
        }));
    }

    private static void requireNickPermission(GuildContext gc, long targetId) {
        boolean self = targetId == gc.member().userId();
        if (!gc.has(Permission.MANAGE_NICKNAMES) && !(self && gc.has(Permission.CHANGE_NICKNAME))) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
        }
    }

    /**
     * Every wanted role must be a role of this guild other than {@code @everyone} (50035 on
     * {@code roles}); each one added or removed must rank below the caller and not be managed
     * (50013). Roles the member keeps are not checked: one may edit a member who holds roles above
     * oneself, as on Discord.
     */
    private static void checkRoleChange(GuildContext gc, Set<Long> current, Set<Long> wanted) {
        FieldErrors errors = new FieldErrors();
        for (long id : wanted) {
            Role role = gc.roles().get(id);
            if (role == null || role.isEveryone()) {
                errors.add(List.of("roles"), "UNKNOWN_ROLE", "Unknown role " + id + " in this guild.");
            }
        }
        errors.throwIfAny();
        Set<Long> touched = new HashSet<>(wanted);
        touched.addAll(current);
        for (long id : touched) {
            if (current.contains(id) != wanted.contains(id)) {
                Role role = gc.roles().get(id);
                if (role != null) {
                    requireAssignable(gc, role);
                }
            }
        }
    }

    /** The role to add or remove by route: 10011 unless a role of this guild other than {@code @everyone}. */
    private static Role assignableRole(GuildContext gc, long roleId) {
        Role role = gc.roles().get(roleId);
        if (role == null || role.isEveryone()) {
            throw new ApiException(ErrorCode.UNKNOWN_ROLE);
        }
        requireAssignable(gc, role);
        return role;
    }

    /** Managed roles belong to their integration (a bot's own role): nobody assigns them by hand. */
    private static void requireAssignable(GuildContext gc, Role role) {
        if (role.managed()) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS, "Managed roles cannot be added or removed");
        }
        gc.requireAbove(role);
    }

    private static String blankToNull(String nick) {
        return nick == null || nick.isEmpty() ? null : nick;
    }

    /** {@code DELETE /guilds/{id}/members/{user.id}}: KICK_MEMBERS, target strictly below the caller; never the owner. */
    public void kick(Principal who, long guildId, long userId) {
        ctx.inGuild(guildId, () -> ctx.store().write(tx -> {
            GuildContext gc = GuildContext.load(tx, guildId, who.userId()).require(Permission.KICK_MEMBERS);
            Member target = requireMember(tx, guildId, userId);
            if (target.userId() == gc.guild().ownerId()) {
                throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
            }
            gc.requireAbove(target);
            voice.memberLeaving(tx, guildId, userId);
            publishRemoved(tx, guildId, removeIn(tx, guildId, userId));
            return null;
        }));
    }

    /** {@code DELETE /users/@me/guilds/{id}}: not a member is 10004, the owner must delete or transfer instead (50055). */
    public void leave(Principal who, long guildId) {
        ctx.inGuild(guildId, () -> ctx.store().write(tx -> {
            Guild guild = tx.guilds().find(guildId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_GUILD));
            tx.members().find(guildId, who.userId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_GUILD));
            if (guild.ownerId() == who.userId()) {
                throw new ApiException(ErrorCode.INVALID_GUILD, "The guild owner cannot leave the guild");
            }
            voice.memberLeaving(tx, guildId, who.userId());
            publishRemoved(tx, guildId, removeIn(tx, guildId, who.userId()));
            return null;
        }));
    }

    /** Deletes the membership (its roles go with it; channel overwrites stay, as on Discord). */
    static User removeIn(Tx tx, long guildId, long userId) {
        User user = tx.users().find(userId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
        tx.members().delete(guildId, userId);
        return user;
    }

    /** GUILD_MEMBER_REMOVE to the guild, then GUILD_DELETE without {@code unavailable} to the one removed. */
    static void publishRemoved(Tx tx, long guildId, User user) {
        Map<String, Object> remove = new LinkedHashMap<>();
        remove.put("guild_id", guildId);
        remove.put("user", UserView.of(user));
        tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_MEMBER_REMOVE, guildId, remove));
        tx.events().publish(GatewayEvent.users(DispatchType.GUILD_DELETE, Set.of(user.id()), Map.of("id", guildId)));
    }

    private static MemberView view(Tx tx, Member m) {
        User user = tx.users().find(m.userId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_MEMBER));
        return MemberView.of(m, user);
    }

    private static List<MemberView> views(Tx tx, List<Member> members) {
        Map<Long, User> users = new HashMap<>();
        for (User u : tx.users().findAll(members.stream().map(Member::userId).toList())) {
            users.put(u.id(), u);
        }
        return members.stream().filter(m -> users.containsKey(m.userId())).map(m -> MemberView.of(m, users.get(m.userId()))).toList();
    }
}
