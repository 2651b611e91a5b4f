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
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.ChannelView;
import dev.gatehouse.core.view.GuildView;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.core.view.RoleView;
import dev.gatehouse.core.view.Timestamps;
import dev.gatehouse.protocol.DispatchType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Guilds: creation with their defaults, reading, modifying, deleting. */
public final class GuildService {

    /** Members sent in a GUILD_CREATE when the caller gives no large_threshold. */
    public static final int DEFAULT_LARGE_THRESHOLD = 50;

    private final Platform.Context ctx;
    private final VoiceService voice;

    public GuildService(Platform.Context ctx, VoiceService voice) {
        this.ctx = ctx;
        this.voice = voice;
    }

    /** {@code POST /guilds}: the guild, its {@code @everyone} role and Discord's default channels. */
    public GuildView create(Principal who, Form form) {
        String name = form.string("name", 2, 100);
        form.validate();
        return create(who.userId(), name);
    }

    /** Creates a guild owned by {@code ownerId}; shared by the API and the admin command. */
    public GuildView create(long ownerId, String name) {
        long now = ctx.clock().millis();
        long guildId = ctx.ids().next();
        long textCategory = ctx.ids().next();
        long general = ctx.ids().next();
        long voiceCategory = ctx.ids().next();
        long generalVoice = ctx.ids().next();
        return ctx.inGuildJoinedBy(guildId, ownerId, () -> {
            ctx.store().write(tx -> {
                tx.users().find(ownerId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
                if (tx.guilds().countOwnedOrJoined(ownerId) >= ctx.limits().maxGuildsPerUser()) {
                    throw new ApiException(ErrorCode.MAX_GUILDS,
                            "Maximum number of guilds reached (" + ctx.limits().maxGuildsPerUser() + ")");
                }
                tx.guilds().insert(new Guild(guildId, name, null, null, ownerId, general, null, 300, 0, 0, 0, now));
                tx.roles().insert(new Role(guildId, guildId, "@everyone", 0, false, 0, Permission.DEFAULT_EVERYONE, false, false));
                tx.channels().insert(guildChannel(textCategory, guildId, ChannelType.GUILD_CATEGORY, "Text Channels", 0, null));
                tx.channels().insert(guildChannel(general, guildId, ChannelType.GUILD_TEXT, "general", 0, textCategory));
                tx.channels().insert(guildChannel(voiceCategory, guildId, ChannelType.GUILD_CATEGORY, "Voice Channels", 1, null));
                tx.channels().insert(guildChannel(generalVoice, guildId, ChannelType.GUILD_VOICE, "General", 0, voiceCategory));
                tx.members().insert(new Member(guildId, ownerId, null, now, Set.of()));
                Map<String, Object> full = fullGuild(tx, guildId, ownerId, DEFAULT_LARGE_THRESHOLD);
                tx.events().publish(GatewayEvent.users(DispatchType.GUILD_CREATE, Set.of(ownerId), full));
                return null;
            });
            return ctx.store().read(tx -> view(tx, guildId));
        });
    }

    static Channel guildChannel(long id, long guildId, int type, String name, int position, Long parentId) {
        return new Channel(id, type, guildId, name, null, position, parentId, false,
                type == ChannelType.GUILD_VOICE ? 64_000 : 0, 0, 0, null, List.of(), List.of());
    }

    /** {@code GET /guilds/{id}}: members only; {@code with_counts} adds the approximate counts. */
    public Map<String, Object> get(Principal who, long guildId, boolean withCounts) {
        return ctx.store().read(tx -> {
            GuildContext.load(tx, guildId, who.userId());
            Map<String, Object> guild = asMap(view(tx, guildId));
            if (withCounts) {
                guild.put("approximate_member_count", tx.members().count(guildId));
                guild.put("approximate_presence_count", 0);
            }
            return guild;
        });
    }

    private static final Set<Integer> AFK_TIMEOUTS = Set.of(60, 300, 900, 1800, 3600);

    /**
     * {@code PATCH /guilds/{id}}: MANAGE_GUILD. The system channel must be a text channel and the
     * AFK channel a voice channel of this guild; {@code owner_id} hands the guild to another member
     * and only the owner may send it.
     */
    public GuildView modify(Principal who, long guildId, Form form) {
        String name = form.optString("name", 2, 100);
        String description = form.optString("description", 0, 120);
        Long systemChannelId = form.optSnowflake("system_channel_id");
        Long afkChannelId = form.optSnowflake("afk_channel_id");
        Integer afkTimeout = form.optInt("afk_timeout", 0, Integer.MAX_VALUE);
        if (afkTimeout != null && !AFK_TIMEOUTS.contains(afkTimeout)) {
            form.error("afk_timeout", "BASE_TYPE_CHOICES", "Value must be one of {60, 300, 900, 1800, 3600}.");
        }
        Integer verificationLevel = form.optInt("verification_level", 0, 4);
        Integer notifications = form.optInt("default_message_notifications", 0, 1);
        Integer contentFilter = form.optInt("explicit_content_filter", 0, 2);
        Long ownerId = form.optSnowflake("owner_id");
        if (form.has("icon") && !form.isNull("icon")) {
            form.error("icon", "ICON_UPLOAD_UNSUPPORTED", "This server does not store images; icon can only be set to null.");
        }
        return ctx.inGuild(guildId, () -> {
            GuildView updated = ctx.store().write(tx -> {
                GuildContext g = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_GUILD);
                Guild guild = g.guild();
                boolean transfer = ownerId != null && ownerId != guild.ownerId();
                if (transfer && !g.isOwner()) {
                    throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
                }
                if (transfer && tx.members().find(guildId, ownerId).isEmpty()) {
                    form.error("owner_id", "GUILD_OWNER_NOT_MEMBER", "The new owner must be a member of the guild.");
                }
                requireChannel(tx, guildId, systemChannelId, ChannelType.GUILD_TEXT, form, "system_channel_id");
                requireChannel(tx, guildId, afkChannelId, ChannelType.GUILD_VOICE, form, "afk_channel_id");
                form.validate();
                Guild next = new Guild(guild.id(),
                        name != null ? name : guild.name(),
                        form.has("icon") ? null : guild.icon(),
                        form.has("description") ? emptyToNull(description) : guild.description(),
                        transfer ? ownerId : guild.ownerId(),
                        form.has("system_channel_id") ? systemChannelId : guild.systemChannelId(),
                        form.has("afk_channel_id") ? afkChannelId : guild.afkChannelId(),
                        afkTimeout != null ? afkTimeout : guild.afkTimeout(),
                        verificationLevel != null ? verificationLevel : guild.verificationLevel(),
                        notifications != null ? notifications : guild.defaultMessageNotifications(),
                        contentFilter != null ? contentFilter : guild.explicitContentFilter(),
                        guild.createdAt());
                tx.guilds().update(next);
                GuildView view = view(tx, guildId);
                tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_UPDATE, guildId, view));
                return view;
            });
            return updated;
        });
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Records an error unless {@code channelId} (when given) is a channel of {@code type} in the guild. */
    private static void requireChannel(Tx tx, long guildId, Long channelId, int type, Form form, String field) {
        if (channelId == null) {
            return;
        }
        Channel c = tx.channels().find(channelId).filter(x -> x.guildId() != null && x.guildId() == guildId).orElse(null);
        if (c == null) {
            form.error(field, "CHANNEL_INVALID", "Unknown channel.");
        } else if (c.type() != type) {
            form.error(field, "CHANNEL_INVALID_TYPE", type == ChannelType.GUILD_TEXT
                    ? "The channel must be a text channel." : "The channel must be a voice channel.");
        }
    }

    /**
     * {@code DELETE /guilds/{id}}: the owner only. GUILD_DELETE {@code {id}} goes out after the commit,
     * addressed by guild id: the guild's data is gone by then, but the gateways still hold the list
     * of sessions in that guild, and the guild's stream of the event log stays.
     */
    public void delete(Principal who, long guildId) {
        ctx.inGuild(guildId, () -> ctx.store().write(tx -> {
            GuildContext g = GuildContext.load(tx, guildId, who.userId());
            if (!g.isOwner()) {
                throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
            }
            tx.guilds().delete(guildId);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", guildId);
            tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_DELETE, guildId, body));
            return null;
        }));
    }

    static GuildView view(Tx tx, long guildId) {
        Guild guild = tx.guilds().find(guildId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_GUILD));
        List<RoleView> roles = tx.roles().list(guildId).stream().map(RoleView::of).toList();
        return GuildView.of(guild, roles);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object view) {
        return dev.gatehouse.protocol.Json.mapper().convertValue(view, LinkedHashMap.class);
    }

    /**
     * The guild as a GUILD_CREATE dispatch carries it to {@code userId}: the guild object plus
     * channels, members (all when the guild has at most {@code largeThreshold}, else just the
     * user), who is in which voice channel, and the empty collections libraries read. Presences
     * are the gateway's to fill in.
     */
    public Map<String, Object> fullGuild(Tx tx, long guildId, long userId, int largeThreshold) {
        Map<String, Object> full = asMap(view(tx, guildId));
        int memberCount = tx.members().count(guildId);
        boolean large = memberCount > largeThreshold;
        List<Member> members = large
                ? tx.members().findAll(guildId, List.of(userId))
                : tx.members().list(guildId, 0, largeThreshold);
        Map<Long, User> users = new LinkedHashMap<>();
        for (User u : tx.users().findAll(members.stream().map(Member::userId).toList())) {
            users.put(u.id(), u);
        }
        Member self = members.stream().filter(m -> m.userId() == userId).findFirst().orElse(null);
        full.put("joined_at", self == null ? null : Timestamps.iso(self.joinedAt()));
        full.put("large", large);
        full.put("unavailable", false);
        full.put("member_count", memberCount);
        full.put("voice_states", voice.views(guildId));
        full.put("members", members.stream().filter(m -> users.containsKey(m.userId()))
                .map(m -> MemberView.of(m, users.get(m.userId()))).toList());
        full.put("channels", tx.channels().listByGuild(guildId).stream().map(ChannelView::of).toList());
        full.put("threads", List.of());
        full.put("presences", List.of());
        full.put("stage_instances", List.of());
        full.put("guild_scheduled_events", List.of());
        full.put("soundboard_sounds", List.of());
        return full;
    }

    /** The full guild for a user, in its own read transaction (gateway, join events). */
    public Map<String, Object> fullGuild(long guildId, long userId, int largeThreshold) {
        return ctx.store().read(tx -> fullGuild(tx, guildId, userId, largeThreshold));
    }
}
