package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Ban;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.BanView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Guild bans: listing, banning (with the member's removal and recent messages) and unbanning. */
public final class BanService {

    /** Discord's limit on how far back a ban deletes messages: 7 days. */
    public static final int MAX_DELETE_MESSAGE_SECONDS = 604_800;
    /** Longest ban reason kept, as Discord's audit log reasons. */
    public static final int MAX_REASON_LENGTH = 512;

    private final Platform.Context ctx;

    private final VoiceService voice;

    public BanService(Platform.Context ctx, VoiceService voice) {
        this.voice = voice;
        this.ctx = ctx;
    }

    /**
     * {@code GET /guilds/{id}/bans}: BAN_MEMBERS; by user id. {@code before} alone pages backwards
     * and gives the {@code limit} bans just below it, still in ascending order.
     */
    public List<BanView> list(Principal who, long guildId, int limit, Long before, Long after) {
        return ctx.store().read(tx -> {
            GuildContext.load(tx, guildId, who.userId()).require(Permission.BAN_MEMBERS);
            long low = after == null ? 0 : after;
            long high = before == null ? Long.MAX_VALUE : before;
            List<Ban> bans;
            if (before != null && after == null) {
                // the store pages upwards only; a guild's ban list is small enough to take its tail
                List<Ban> below = tx.bans().list(guildId, low, high, Integer.MAX_VALUE);
                bans = below.subList(Math.max(0, below.size() - limit), below.size());
            } else {
                bans = tx.bans().list(guildId, low, high, limit);
            }
            return views(tx, bans);
        });
    }

    /** {@code GET /guilds/{id}/bans/{user.id}}: 10026 when the user is not banned. */
    public BanView get(Principal who, long guildId, long userId) {
        return ctx.store().read(tx -> {
            GuildContext.load(tx, guildId, who.userId()).require(Permission.BAN_MEMBERS);
            Ban ban = tx.bans().find(guildId, userId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_BAN));
            return views(tx, List.of(ban)).stream().findFirst().orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_BAN));
        });
    }

    /**
     * {@code PUT /guilds/{id}/bans/{user.id}}: BAN_MEMBERS. Any existing user may be banned, member
     * or not; a member must rank strictly below the caller, and neither the owner nor the caller
     * can be banned. The member is removed, and their messages of the last
     * {@code delete_message_seconds} (or the deprecated {@code delete_message_days}) are deleted.
     * Banning again only updates the reason.
     */
    public void ban(Principal who, long guildId, long userId, Form form, String reason) {
        Integer seconds = form.optInt("delete_message_seconds", 0, MAX_DELETE_MESSAGE_SECONDS);
        Integer days = form.optInt("delete_message_days", 0, 7);
        form.validate();
        int deleteSeconds = seconds != null ? seconds : days != null ? days * 86_400 : 0;
        String kept = reason == null || reason.isEmpty() ? null
                : reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
        long since = Snowflakes.fromTimestamp(ctx.clock().millis() - deleteSeconds * 1000L);
        ctx.inGuild(guildId, () -> ctx.store().write(tx -> {
            GuildContext gc = GuildContext.load(tx, guildId, who.userId()).require(Permission.BAN_MEMBERS);
            User user = tx.users().find(userId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
            if (userId == gc.guild().ownerId() || userId == who.userId()) {
                throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
            }
            Optional<Member> member = tx.members().find(guildId, userId);
            member.ifPresent(gc::requireAbove);
            boolean newBan = tx.bans().find(guildId, userId).isEmpty();
            tx.bans().put(new Ban(guildId, userId, kept));
            if (member.isPresent()) {
                voice.memberLeaving(tx, guildId, userId);
                MemberService.removeIn(tx, guildId, userId);
            }
            Map<Long, List<Long>> deleted = deleteSeconds > 0 ? tx.messages().deleteByAuthorSince(guildId, userId, since) : Map.of();
            if (member.isPresent()) {
                MemberService.publishRemoved(tx, guildId, user);
            }
            if (newBan) {
                tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_BAN_ADD, guildId, payload(guildId, user)));
            }
            deleted.forEach((channelId, ids) -> {
                Map<String, Object> bulk = new LinkedHashMap<>();
                bulk.put("ids", ids);
                bulk.put("channel_id", channelId);
                bulk.put("guild_id", guildId);
                tx.events().publish(GatewayEvent.channel(DispatchType.MESSAGE_DELETE_BULK, guildId, channelId, bulk));
            });
            return null;
        }));
    }

    /** {@code DELETE /guilds/{id}/bans/{user.id}}: BAN_MEMBERS; 10026 when the user is not banned. */
    public void unban(Principal who, long guildId, long userId) {
        ctx.inGuild(guildId, () -> ctx.store().write(tx -> {
            GuildContext.load(tx, guildId, who.userId()).require(Permission.BAN_MEMBERS);
            if (!tx.bans().delete(guildId, userId)) {
                throw new ApiException(ErrorCode.UNKNOWN_BAN);
            }
            // a ban row has no foreign key to users: without the user there is no user object to send
            tx.users().find(userId).ifPresent(user ->
                    tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_BAN_REMOVE, guildId, payload(guildId, user))));
            return null;
        }));
    }

    private static Map<String, Object> payload(long guildId, User user) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("guild_id", guildId);
        m.put("user", UserView.of(user));
        return m;
    }

    private static List<BanView> views(Tx tx, List<Ban> bans) {
        Map<Long, User> users = new HashMap<>();
        for (User u : tx.users().findAll(bans.stream().map(Ban::userId).toList())) {
            users.put(u.id(), u);
        }
        return bans.stream().filter(b -> users.containsKey(b.userId())).map(b -> BanView.of(b, users.get(b.userId()))).toList();
    }
}
