package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Invite;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.InviteView;
import dev.gatehouse.protocol.DispatchType;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Guild invites: creating, reading, accepting (which joins the guild and counts a use in the same
 * transaction) and revoking. An invite past its age or out of uses is deleted when next touched,
 * with INVITE_DELETE, and answers 10006 as if it never existed.
 */
public final class InviteService {

    public static final int DEFAULT_MAX_AGE = 86_400;
    public static final int MAX_MAX_AGE = 604_800;
    public static final int MAX_MAX_USES = 100;
    static final int CODE_LENGTH = 8;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** 62^8 codes make a clash rare; a few fresh draws make it a non-event. */
    private static final int CODE_ATTEMPTS = 5;

    private final Platform.Context ctx;
    private final MemberService members;
    private final SecureRandom random = new SecureRandom();

    public InviteService(Platform.Context ctx, MemberService members) {
        this.ctx = ctx;
        this.members = members;
    }

    /**
     * {@code POST /channels/{id}/invites}: CREATE_INSTANT_INVITE in a text or voice channel.
     * Unless {@code unique}, the caller's live invite with the same settings is returned again
     * instead of a new one, as on Discord.
     */
    public Map<String, Object> create(Principal who, long channelId, Form form) {
        int maxAge = form.integer("max_age", 0, MAX_MAX_AGE, DEFAULT_MAX_AGE);
        int maxUses = form.integer("max_uses", 0, MAX_MAX_USES, 0);
        boolean temporary = form.bool("temporary", false);
        boolean unique = form.bool("unique", false);
        form.validate();
        long now = ctx.clock().millis();
        return ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            ChannelContext cc = ChannelContext.load(tx, channelId, who.userId());
            if (cc.isDm()) {
                throw new ApiException(ErrorCode.CANNOT_EXECUTE_ON_DM);
            }
            if (cc.channel().type() == ChannelType.GUILD_CATEGORY) {
                throw new ApiException(ErrorCode.WRONG_CHANNEL_TYPE);
            }
            cc.require(Permission.CREATE_INSTANT_INVITE);
            Guild guild = cc.guild().guild();
            User inviter = tx.users().find(who.userId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
            if (!unique) {
                Optional<Invite> same = tx.invites().listByChannel(channelId).stream()
                        .filter(i -> Objects.equals(i.inviterId(), who.userId()) && i.maxAge() == maxAge
                                && i.maxUses() == maxUses && i.temporary() == temporary && !i.expiredAt(now))
                        .findFirst();
                if (same.isPresent()) {
                    return InviteView.withMetadata(same.get(), guild, cc.channel(), inviter);
                }
            }
            for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
                Invite invite = new Invite(newCode(), guild.id(), channelId, who.userId(), maxAge, maxUses, 0, temporary, now);
                if (tx.invites().insert(invite)) {
                    tx.events().publish(GatewayEvent.channel(DispatchType.INVITE_CREATE, invite.guildId(), channelId,
                            InviteView.created(invite, inviter)));
                    return InviteView.withMetadata(invite, guild, cc.channel(), inviter);
                }
            }
            throw new IllegalStateException("no free invite code after " + CODE_ATTEMPTS + " attempts");
        }));
    }

    String newCode() {
        StringBuilder code = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** {@code GET /invites/{code}}: any signed-in user; {@code with_counts} adds the approximate counts. */
    public Map<String, Object> get(Principal who, String code, boolean withCounts) {
        long now = ctx.clock().millis();
        Live live = ctx.store().read(tx -> live(tx, code, now));
        if (live.expired()) {
            throw expire(live.invite());
        }
        Map<String, Object> view = live.view();
        if (withCounts) {
            view.put("approximate_member_count", ctx.store().read(tx -> tx.members().count(live.invite().guildId())));
            view.put("approximate_presence_count", 0);
        }
        return view;
    }

    /**
     * {@code POST /invites/{code}}: people only (20001 for bots). Joins the guild through
     * {@link MemberService#join}, which refuses banned users (40007); the use is counted in the
     * join's transaction, so the last use of an invite goes to one joiner only. An invite whose
     * last use this was is deleted. A user already in the guild just gets the invite back.
     */
    public Map<String, Object> accept(Principal who, String code) {
        if (who.isBot()) {
            throw new ApiException(ErrorCode.BOTS_CANNOT_USE_ENDPOINT);
        }
        long now = ctx.clock().millis();
        Live live = ctx.store().read(tx -> live(tx, code, now));
        if (live.expired()) {
            throw expire(live.invite());
        }
        Invite invite = live.invite();
        return ctx.inGuildJoinedBy(invite.guildId(), who.userId(), () -> {
            members.join(invite.guildId(), who.userId(), tx -> {
                if (!tx.invites().use(code)) {
                    throw new ApiException(ErrorCode.UNKNOWN_INVITE);
                }
                Invite counted = tx.invites().find(code).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_INVITE));
                if (counted.maxUses() > 0 && counted.uses() >= counted.maxUses()) {
                    tx.invites().delete(code);
                    publishDeleted(tx, invite);
                }
                return Set.of();
            });
            return live.view();
        });
    }

    /** {@code DELETE /invites/{code}}: MANAGE_GUILD, or MANAGE_CHANNELS on the invite's channel. */
    public Map<String, Object> delete(Principal who, String code) {
        return ctx.inGuild(guildOf(code), () -> ctx.store().write(tx -> {
            Invite invite = tx.invites().find(code).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_INVITE));
            GuildContext gc = GuildContext.load(tx, invite.guildId(), who.userId());
            Channel channel = tx.channels().find(invite.channelId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_INVITE));
            if (!gc.has(Permission.MANAGE_GUILD) && !Permission.MANAGE_CHANNELS.in(gc.permissionsIn(channel))) {
                throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
            }
            tx.invites().delete(code);
            publishDeleted(tx, invite);
            return InviteView.withMetadata(invite, gc.guild(), channel, inviter(tx, invite));
        }));
    }

    /** {@code GET /guilds/{id}/invites}: MANAGE_GUILD; live invites with metadata. */
    public List<Map<String, Object>> listByGuild(Principal who, long guildId) {
        long now = ctx.clock().millis();
        return ctx.store().read(tx -> {
            GuildContext gc = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_GUILD);
            Map<Long, Channel> channels = new HashMap<>();
            tx.channels().listByGuild(guildId).forEach(c -> channels.put(c.id(), c));
            return views(tx, tx.invites().listByGuild(guildId), gc.guild(), channels, now);
        });
    }

    /** {@code GET /channels/{id}/invites}: MANAGE_CHANNELS in the channel; live invites with metadata. */
    public List<Map<String, Object>> listByChannel(Principal who, long channelId) {
        long now = ctx.clock().millis();
        return ctx.store().read(tx -> {
            ChannelContext cc = ChannelContext.load(tx, channelId, who.userId());
            if (cc.isDm()) {
                throw new ApiException(ErrorCode.CANNOT_EXECUTE_ON_DM);
            }
            cc.require(Permission.MANAGE_CHANNELS);
            return views(tx, tx.invites().listByChannel(channelId), cc.guild().guild(), Map.of(channelId, cc.channel()), now);
        });
    }

    private static List<Map<String, Object>> views(Tx tx, List<Invite> invites, Guild guild, Map<Long, Channel> channels, long now) {
        List<Invite> live = invites.stream().filter(i -> !i.expiredAt(now) && channels.containsKey(i.channelId())).toList();
        Map<Long, User> inviters = new HashMap<>();
        tx.users().findAll(live.stream().map(Invite::inviterId).filter(Objects::nonNull).distinct().toList())
                .forEach(u -> inviters.put(u.id(), u));
        return live.stream().map(i -> InviteView.withMetadata(i, guild, channels.get(i.channelId()),
                i.inviterId() == null ? null : inviters.get(i.inviterId()))).toList();
    }

    /** An invite as found by code, its public view, and whether it is past its age or uses. */
    private record Live(Invite invite, Map<String, Object> view, boolean expired) {}

    private static Live live(Tx tx, String code, long now) {
        Invite invite = tx.invites().find(code).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_INVITE));
        Guild guild = tx.guilds().find(invite.guildId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_INVITE));
        Channel channel = tx.channels().find(invite.channelId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_INVITE));
        return new Live(invite, InviteView.of(invite, guild, channel, inviter(tx, invite)), invite.expiredAt(now));
    }

    private static User inviter(Tx tx, Invite invite) {
        return invite.inviterId() == null ? null : tx.users().find(invite.inviterId()).orElse(null);
    }

    /** Deletes an expired invite (once, if several requests race) and returns the 10006 to answer with. */
    private ApiException expire(Invite invite) {
        ctx.inGuild(invite.guildId(), () -> {
            return ctx.store().write(tx -> {
                if (tx.invites().delete(invite.code())) {
                    publishDeleted(tx, invite);
                }
                return null;
            });
        });
        return new ApiException(ErrorCode.UNKNOWN_INVITE);
    }

    /** The guild of an invite, read before its guild's section (it never changes); 10006 when there is none. */
    private long guildOf(String code) {
        return ctx.store().read(tx -> tx.invites().find(code)).map(Invite::guildId)
                .orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_INVITE));
    }

    private static void publishDeleted(Tx tx, Invite invite) {
        tx.events().publish(GatewayEvent.channel(DispatchType.INVITE_DELETE, invite.guildId(), invite.channelId(), InviteView.deleted(invite)));
    }
}
