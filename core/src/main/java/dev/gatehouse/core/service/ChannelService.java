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
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.ChannelView;
import dev.gatehouse.core.view.GuildView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Guild channels: listing what a member may see, creating, modifying, reordering, deleting, and
 * their permission overwrites; reading DM channels. Channels of another guild are unknown here.
 */
public final class ChannelService {

    /** Discord's fixed limits: channels per guild (30013) and per category (a 50035 on parent_id). */
    public static final int MAX_CHANNELS = 500;
    public static final int MAX_PER_CATEGORY = 50;

    private final Platform.Context ctx;

    private final VoiceService voice;

    public ChannelService(Platform.Context ctx, VoiceService voice) {
        this.ctx = ctx;
        this.voice = voice;
    }

    /** {@code GET /guilds/{id}/channels}: the channels the member may view, by position. */
    public List<Map<String, Object>> list(Principal who, long guildId) {
        return ctx.store().read(tx -> {
            GuildContext g = GuildContext.load(tx, guildId, who.userId());
            return tx.channels().listByGuild(guildId).stream()
                    .filter(c -> Permission.VIEW_CHANNEL.in(g.permissionsIn(c)))
                    .map(ChannelView::of)
                    .toList();
        });
    }

    /**
     * {@code POST /guilds/{id}/channels}: MANAGE_CHANNELS. Explicit overwrites need MANAGE_ROLES and
     * only bits the caller has (in the parent category when there is one); without them a channel
     * placed in a category starts synced with the category's overwrites, as on Discord.
     */
    public Map<String, Object> create(Principal who, long guildId, Form form) {
        ChannelFields f = ChannelFields.read(form, true);
        long id = ctx.ids().next();
        return ctx.inGuild(guildId, () -> {
            Map<String, Object> created = ctx.store().write(tx -> {
                GuildContext g = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_CHANNELS);
                List<Channel> all = tx.channels().listByGuild(guildId);
                int type = f.type() == null ? ChannelType.GUILD_TEXT : f.type();
                Channel parent = null;
                if (f.parentId() != null) {
                    Problem problem = parentProblem(all, f.parentId(), type, null, Map.of());
                    if (problem != null) {
                        form.error("parent_id", problem.code(), problem.message());
                    } else {
                        parent = byId(all, f.parentId());
                    }
                }
                if (f.overwrites() != null) {
                    Overwrites.checkTargets(tx, guildId, f.overwrites());
                }
                form.validate();
                if (all.size() >= MAX_CHANNELS) {
                    throw new ApiException(ErrorCode.MAX_CHANNELS);
                }
                List<Overwrite> overwrites;
                if (f.overwrites() == null) {
                    overwrites = parent == null ? List.of() : parent.overwrites();
                } else {
                    overwrites = Overwrites.overwrites(f.overwrites());
                    long own = parent == null ? g.permissions() : g.permissionsIn(parent);
                    Overwrites.requireMayChange(own, own, List.of(), overwrites);
                }
                Long parentId = parent == null ? null : parent.id();
                int position = f.position() != null ? f.position() : nextPosition(all, parentId, type);
                Channel blank = new Channel(id, type, guildId, ChannelFields.normalName(f.name(), type), null, position, parentId,
                        false, ChannelType.isVoice(type) ? 64_000 : 0, 0, 0, null, overwrites, List.of());
                Channel channel = f.applyTo(blank);
                tx.channels().insert(channel);
                Map<String, Object> view = ChannelView.of(tx.channels().find(id).orElseThrow());
                tx.events().publish(GatewayEvent.channel(DispatchType.CHANNEL_CREATE, guildId, id, view));
                return view;
            });
            return created;
        });
    }

    /** Below the last sibling of the same kind (categories among categories, others in the parent). */
    private static int nextPosition(List<Channel> all, Long parentId, int type) {
        boolean category = type == ChannelType.GUILD_CATEGORY;
        return all.stream()
                .filter(c -> (c.type() == ChannelType.GUILD_CATEGORY) == category && Objects.equals(c.parentId(), parentId))
                .mapToInt(c -> c.position() + 1)
                .max()
                .orElse(0);
    }

    private record Problem(String code, String message) {}

    /**
     * Why {@code parentId} cannot take a channel of {@code childType} ({@code childId} when it is
     * moved, null when new), or null when it can. {@code added} counts children moved into a
     * category earlier in the same request.
     */
    private static Problem parentProblem(List<Channel> all, long parentId, int childType, Long childId, Map<Long, Integer> added) {
        if (childType == ChannelType.GUILD_CATEGORY) {
            return new Problem("CHANNEL_PARENT_INVALID_TYPE", "A category cannot be placed in a category.");
        }
        Channel parent = byId(all, parentId);
        if (parent == null) {
            return new Problem("CHANNEL_PARENT_INVALID", "Unknown category.");
        }
        if (parent.type() != ChannelType.GUILD_CATEGORY) {
            return new Problem("CHANNEL_PARENT_INVALID_TYPE", "The parent must be a category.");
        }
        long children = all.stream().filter(c -> Objects.equals(c.parentId(), parentId) && !Objects.equals(c.id(), childId)).count();
        if (children + added.getOrDefault(parentId, 0) >= MAX_PER_CATEGORY) {
            return new Problem("CHANNEL_PARENT_MAX_CHANNELS", "Maximum number of channels in category reached (" + MAX_PER_CATEGORY + ")");
        }
        return null;
    }

    private static Channel byId(List<Channel> all, long id) {
        for (Channel c : all) {
            if (c.id() == id) {
                return c;
            }
        }
        return null;
    }

    /**
     * {@code PATCH /guilds/{id}/channels}: {@code [{id, position?, parent_id?, lock_permissions?}]}.
     * MANAGE_CHANNELS; syncing overwrites with the new parent ({@code lock_permissions}) also needs
     * MANAGE_ROLES. One CHANNEL_UPDATE per channel that changed.
     */
    public void reorder(Principal who, long guildId, JsonNode body) {
        FormList list = FormList.of(body, MAX_CHANNELS);
        record Move(Long id, Integer position, boolean hasParent, Long parentId, boolean lock) {}
        List<Move> moves = new ArrayList<>();
        for (Form item : list.items()) {
            moves.add(item == null ? null : new Move(item.snowflake("id"), item.optInt("position", 0, Integer.MAX_VALUE),
                    item.has("parent_id"), item.optSnowflake("parent_id"), item.bool("lock_permissions", false)));
        }
        ctx.inGuild(guildId, () -> ctx.store().write(tx -> {
            GuildContext g = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_CHANNELS);
            List<Channel> all = tx.channels().listByGuild(guildId);
            Set<Long> seen = new HashSet<>();
            Map<Long, Integer> addedToCategory = new HashMap<>();
            Map<Long, Channel> next = new LinkedHashMap<>();
            boolean locks = false;
            for (int i = 0; i < moves.size(); i++) {
                Move m = moves.get(i);
                if (m == null || m.id() == null) {
                    continue;
                }
                Channel c = byId(all, m.id());
                if (c == null) {
                    list.error(i, "id", "CHANNEL_UNKNOWN", "Unknown channel.");
                    continue;
                }
                if (!seen.add(c.id())) {
                    list.error(i, "id", "CHANNEL_DUPLICATE", "A channel may appear only once.");
                    continue;
                }
                Long parentId = c.parentId();
                List<Overwrite> overwrites = c.overwrites();
                if (m.hasParent() && m.parentId() != null && !m.parentId().equals(c.parentId())) {
                    Problem problem = parentProblem(all, m.parentId(), c.type(), c.id(), addedToCategory);
                    if (problem != null) {
                        list.error(i, "parent_id", problem.code(), problem.message());
                        continue;
                    }
                    addedToCategory.merge(m.parentId(), 1, Integer::sum);
                    parentId = m.parentId();
                    if (m.lock()) {
                        overwrites = byId(all, parentId).overwrites();
                        locks = true;
                    }
                } else if (m.hasParent() && m.parentId() == null) {
                    parentId = null;
                }
                next.put(c.id(), new Channel(c.id(), c.type(), c.guildId(), c.name(), c.topic(),
                        m.position() != null ? m.position() : c.position(), parentId, c.nsfw(), c.bitrate(), c.userLimit(),
                        c.rateLimitPerUser(), c.lastMessageId(), overwrites, c.recipientIds()));
            }
            list.validate();
            if (locks) {
                g.require(Permission.MANAGE_ROLES);
            }
            List<Channel> out = new ArrayList<>();
            for (Channel n : next.values()) {
                Channel c = byId(all, n.id());
                if (n.equals(c)) {
                    continue;
                }
                tx.channels().update(n);
                Overwrites.replace(tx, c, n.overwrites());
                Channel updated = tx.channels().find(n.id()).orElseThrow();
                tx.events().publish(GatewayEvent.channel(DispatchType.CHANNEL_UPDATE, guildId, updated.id(), ChannelView.of(updated)));
            }
            return null;
        }));
    }

    /** {@code GET /channels/{id}}: a guild channel the user may view, or a DM the user is in. */
    public Map<String, Object> get(Principal who, long channelId) {
        return ctx.store().read(tx -> {
            ChannelContext cc = ChannelContext.load(tx, channelId, who.userId());
            return view(tx, cc.channel(), who.userId());
        });
    }

    /** A channel as {@code userId} sees it: a DM lists the other participants as recipients. */
    static Map<String, Object> view(Tx tx, Channel c, long userId) {
        if (!c.isDm()) {
            return ChannelView.of(c);
        }
        List<Long> others = c.recipientIds().stream().filter(id -> id != userId).toList();
        List<UserView> recipients = tx.users().findAll(others).stream().map(UserView::of).toList();
        return ChannelView.of(c, recipients);
    }

    /**
     * {@code PATCH /channels/{id}}: MANAGE_CHANNELS in the channel; a changed overwrite set also
     * needs MANAGE_ROLES there and touches only bits the caller has there. The type cannot change
     * (the platform has no announcement channels to convert to).
     */
    public Map<String, Object> modify(Principal who, long channelId, Form form) {
        ChannelFields f = ChannelFields.read(form, false);
        return ctx.inChannel(channelId, () -> {
            Channel modified = ctx.store().write(tx -> {
                ChannelContext cc = guildChannel(tx, channelId, who.userId()).require(Permission.MANAGE_CHANNELS);
                Channel c = cc.channel();
                if (f.type() != null && f.type() != c.type()) {
                    form.error("type", "CHANNEL_TYPE_INVALID", "The type of this channel cannot be changed.");
                }
                if (f.hasParent() && f.parentId() != null && !f.parentId().equals(c.parentId())) {
                    Problem problem = parentProblem(tx.channels().listByGuild(c.guildId()), f.parentId(), c.type(), c.id(), Map.of());
                    if (problem != null) {
                        form.error("parent_id", problem.code(), problem.message());
                    }
                }
                if (f.overwrites() != null) {
                    Overwrites.checkTargets(tx, c.guildId(), f.overwrites());
                }
                form.validate();
                List<Overwrite> overwrites = c.overwrites();
                if (f.overwrites() != null) {
                    overwrites = Overwrites.overwrites(f.overwrites());
                    Overwrites.requireMayChange(cc.permissions(), grantable(tx, cc), c.overwrites(), overwrites);
                }
                Channel next = f.applyTo(c);
                if (next.equals(c) && Overwrites.same(c.overwrites(), overwrites)) {
                    return c;
                }
                tx.channels().update(next);
                Overwrites.replace(tx, c, overwrites);
                Channel updated = tx.channels().find(channelId).orElseThrow();
                tx.events().publish(GatewayEvent.channel(DispatchType.CHANNEL_UPDATE, updated.guildId(), channelId, ChannelView.of(updated)));
                return updated;
            });
            return ChannelView.of(modified);
        });
    }

    /** The bits the caller may put in overwrites of the channel: its own in the guild or parent, and here. */
    private static long grantable(Tx tx, ChannelContext cc) {
        Channel c = cc.channel();
        Channel parent = c.parentId() == null ? null : tx.channels().find(c.parentId()).orElse(null);
        long outside = parent == null ? cc.guild().permissions() : cc.guild().permissionsIn(parent);
        return outside | cc.permissions();
    }

    /** The guild channel the user may view; a DM is 50003 (these routes manage guild channels). */
    private static ChannelContext guildChannel(Tx tx, long channelId, long userId) {
        ChannelContext cc = ChannelContext.load(tx, channelId, userId);
        if (cc.isDm()) {
            throw new ApiException(ErrorCode.CANNOT_EXECUTE_ON_DM);
        }
        return cc;
    }

    /**
     * {@code DELETE /channels/{id}}: MANAGE_CHANNELS; answers the deleted channel. A deleted
     * category leaves its children without a parent (CHANNEL_UPDATE each); a deleted system or AFK
     * channel is cleared from the guild (GUILD_UPDATE).
     */
    public Map<String, Object> delete(Principal who, long channelId) {
        return ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            ChannelContext cc = guildChannel(tx, channelId, who.userId()).require(Permission.MANAGE_CHANNELS);
            Channel c = cc.channel();
            List<Long> children = tx.channels().listByGuild(c.guildId()).stream()
                    .filter(x -> Objects.equals(x.parentId(), channelId)).map(Channel::id).toList();
            voice.channelDeleting(tx, c.guildId(), channelId);
            tx.channels().delete(channelId);
            Guild g = cc.guild().guild();
            GuildView guildView = null;
            if (Objects.equals(g.systemChannelId(), channelId) || Objects.equals(g.afkChannelId(), channelId)) {
                tx.guilds().update(new Guild(g.id(), g.name(), g.icon(), g.description(), g.ownerId(),
                        Objects.equals(g.systemChannelId(), channelId) ? null : g.systemChannelId(),
                        Objects.equals(g.afkChannelId(), channelId) ? null : g.afkChannelId(),
                        g.afkTimeout(), g.verificationLevel(), g.defaultMessageNotifications(), g.explicitContentFilter(),
                        g.createdAt()));
                guildView = GuildService.view(tx, g.id());
            }
            Map<String, Object> view = ChannelView.of(c);
            tx.events().publish(GatewayEvent.channel(DispatchType.CHANNEL_DELETE, c.guildId(), c.id(), view));
            for (long child : children) {
                Channel orphan = tx.channels().find(child).orElseThrow();
                tx.events().publish(GatewayEvent.channel(DispatchType.CHANNEL_UPDATE, c.guildId(), orphan.id(), ChannelView.of(orphan)));
            }
            if (guildView != null) {
                tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_UPDATE, c.guildId(), guildView));
            }
            return view;
        }));
    }

    /**
     * {@code PUT /channels/{id}/permissions/{target}}: {@code {type, allow, deny}}. MANAGE_ROLES in
     * the channel, only bits the caller has there; the target is a role (10011) or member (10007)
     * of the guild.
     */
    public void putOverwrite(Principal who, long channelId, long targetId, Form form) {
        Overwrite wanted = Overwrites.readBits(form, targetId);
        ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            ChannelContext cc = guildChannel(tx, channelId, who.userId()).require(Permission.MANAGE_ROLES);
            form.validate();
            Channel c = cc.channel();
            Overwrites.requireTarget(tx, c.guildId(), wanted);
            List<Overwrite> before = c.overwrites().stream().filter(o -> o.id() == targetId).toList();
            Overwrites.requireMayChange(cc.permissions(), grantable(tx, cc), before, List.of(wanted));
            tx.channels().putOverwrite(channelId, wanted);
            Channel updated = tx.channels().find(channelId).orElseThrow();
            tx.events().publish(GatewayEvent.channel(DispatchType.CHANNEL_UPDATE, updated.guildId(), channelId, ChannelView.of(updated)));
            return null;
        }));
    }

    /**
     * {@code DELETE /channels/{id}/permissions/{target}}: MANAGE_ROLES, and the bits the overwrite
     * held must be the caller's. Deleting an overwrite that is not there succeeds and publishes
     * nothing, as on Discord.
     */
    public void deleteOverwrite(Principal who, long channelId, long targetId) {
        ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            ChannelContext cc = guildChannel(tx, channelId, who.userId()).require(Permission.MANAGE_ROLES);
            List<Overwrite> before = cc.channel().overwrites().stream().filter(o -> o.id() == targetId).toList();
            if (before.isEmpty()) {
                return null;
            }
            Overwrites.requireMayChange(cc.permissions(), grantable(tx, cc), before, List.of());
            tx.channels().deleteOverwrite(channelId, targetId);
            Channel updated = tx.channels().find(channelId).orElseThrow();
            tx.events().publish(GatewayEvent.channel(DispatchType.CHANNEL_UPDATE, updated.guildId(), channelId, ChannelView.of(updated)));
            return null;
        }));
    }
}
