package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.VoiceState;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in which voice channel. States live in memory on the node, as Discord keeps them in its
 * guild process; each change happens in the guild's section and goes out as VOICE_STATE_UPDATE in
 * that order, so a GUILD_CREATE snapshot's {@code voice_states} and the updates after it agree.
 *
 * <p>A member who leaves the guild (leave, kick, ban), a deleted channel and a deleted guild take
 * their states with them: the service listens on the bus and, inside the section of the event that
 * removed them, publishes each member's disconnect (a VOICE_STATE_UPDATE with {@code channel_id}
 * null) before the gateway hears the removal itself.
 */
public final class VoiceService {

    /** What an op 4 came to. */
    public sealed interface Outcome {
        record Joined(VoiceState state) implements Outcome {}
        record Left() implements Outcome {}
        record Refused(String reason) implements Outcome {}
    }

    private final Platform.Context ctx;
    private final Map<Long, Map<Long, VoiceState>> byGuild = new ConcurrentHashMap<>();

    public VoiceService(Platform.Context ctx) {
        this.ctx = ctx;
        ctx.bus().subscribe(this::removedWith);
    }

    /**
     * Op 4: joins or moves to {@code channelId} (VIEW_CHANNEL and CONNECT needed; a channel at its
     * {@code user_limit} only with MOVE_MEMBERS), or leaves with null. A leave without a state
     * changes nothing.
     */
    public Outcome update(long userId, String sessionId, long guildId, Long channelId, boolean selfMute, boolean selfDeaf) {
        return ctx.inGuild(guildId, () -> {
            VoiceState before = find(guildId, userId);
            String problem = ctx.store().read(tx -> refusal(tx, guildId, userId, channelId, before));
            if (problem != null) {
                return new Outcome.Refused(problem);
            }
            if (channelId == null) {
                if (before == null) {
                    return new Outcome.Left();
                }
                disconnect(before);
                return new Outcome.Left();
            }
            VoiceState state = new VoiceState(guildId, channelId, userId, sessionId, before != null && before.mute(),
                    before != null && before.deaf(), selfMute, selfDeaf);
            byGuild.computeIfAbsent(guildId, g -> new ConcurrentHashMap<>()).put(userId, state);
            publish(state, state.channelId());
            return new Outcome.Joined(state);
        });
    }

    /**
     * A moderator's change to a member in voice ({@code PATCH /guilds/{id}/members/{user}}, checked
     * there): server mute and deafen, a move to {@code moveTo}, or a disconnect when {@code move}
     * names no channel. Null flags stay as they are; nothing changes for a member not in voice.
     */
    public void moderate(long guildId, long userId, Boolean mute, Boolean deaf, boolean move, Long moveTo) {
        ctx.inGuild(guildId, () -> {
            VoiceState before = find(guildId, userId);
            if (before == null) {
                return null;
            }
            if (move && moveTo == null) {
                disconnect(before);
                return null;
            }
            VoiceState after = new VoiceState(guildId, move ? moveTo : before.channelId(), userId, before.sessionId(),
                    mute != null ? mute : before.mute(), deaf != null ? deaf : before.deaf(), before.selfMute(),
                    before.selfDeaf());
            if (!after.equals(before)) {
                byGuild.computeIfAbsent(guildId, g -> new ConcurrentHashMap<>()).put(userId, after);
                publish(after, after.channelId());
            }
            return null;
        });
    }

    /** A gateway session ended: the states it held are disconnected. */
    public void sessionEnded(long userId, String sessionId) {
        for (Map.Entry<Long, Map<Long, VoiceState>> guild : byGuild.entrySet()) {
            VoiceState state = guild.getValue().get(userId);
            if (state != null && state.sessionId().equals(sessionId)) {
                ctx.inGuild(guild.getKey(), () -> {
                    VoiceState now = find(guild.getKey(), userId);
                    if (now != null && now.sessionId().equals(sessionId)) {
                        disconnect(now);
                    }
                    return null;
                });
            }
        }
    }

    /** The guild's states, as GUILD_CREATE's {@code voice_states} lists them. Call inside the guild's section or a read of it. */
    public List<Map<String, Object>> views(long guildId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (VoiceState s : statesOf(guildId).values()) {
            out.add(view(s, s.channelId(), null));
        }
        return out;
    }

    /**
     * {@code GET /guilds/{id}/voice-states/{user}} (and {@code @me}): a member's voice state, for a
     * member of the guild; 10065 when the user is in no voice channel of it.
     */
    public Map<String, Object> get(Principal who, long guildId, long userId) {
        return ctx.store().read(tx -> {
            GuildContext.load(tx, guildId, who.userId());
            VoiceState state = find(guildId, userId);
            if (state == null) {
                throw new ApiException(ErrorCode.UNKNOWN_VOICE_STATE);
            }
            return view(state, state.channelId(), memberView(tx, guildId, userId));
        });
    }

    public VoiceState find(long guildId, long userId) {
        return statesOf(guildId).get(userId);
    }

    /** How many members are in the channel. */
    public long countIn(long guildId, long channelId) {
        return statesOf(guildId).values().stream().filter(s -> s.channelId() == channelId).count();
    }

    private String refusal(Tx tx, long guildId, long userId, Long channelId, VoiceState before) {
        GuildContext guild;
        try {
            guild = GuildContext.load(tx, guildId, userId);
        } catch (RuntimeException notMember) {
            return "Unknown guild";
        }
        if (channelId == null) {
            return null;
        }
        Channel channel = tx.channels().find(channelId).orElse(null);
        if (channel == null || channel.guildId() == null || channel.guildId() != guildId
                || channel.type() != ChannelType.GUILD_VOICE) {
            return "Unknown voice channel";
        }
        long perms = guild.permissionsIn(channel);
        if (!Permission.VIEW_CHANNEL.in(perms) || !Permission.CONNECT.in(perms)) {
            return "Missing permission to connect";
        }
        boolean alreadyThere = before != null && before.channelId() == channelId;
        if (channel.userLimit() > 0 && !alreadyThere && !Permission.MOVE_MEMBERS.in(perms)
                && countIn(guildId, channelId) >= channel.userLimit()) {
            return "Channel full";
        }
        return null;
    }

    /** Removals that come with other changes, heard inside their section. */
    private void removedWith(GatewayEvent e) {
        if (e.guildId() == null || !byGuild.containsKey(e.guildId())) {
            return;
        }
        long guildId = e.guildId();
        switch (e.type()) {
            case GUILD_MEMBER_REMOVE -> {
                if (e.data() instanceof Map<?, ?> body && body.get("user") instanceof UserView user) {
                    VoiceState state = statesOf(guildId).get(user.id());
                    if (state != null) {
                        disconnect(state);
                    }
                }
            }
            case CHANNEL_DELETE -> {
                if (e.channelId() != null) {
                    for (VoiceState state : List.copyOf(statesOf(guildId).values())) {
                        if (state.channelId() == e.channelId()) {
                            disconnect(state);
                        }
                    }
                }
            }
            case GUILD_DELETE -> {
                if (!e.isDirected()) {
                    byGuild.remove(guildId); // the guild is gone, and everyone with it
                }
            }
            default -> { }
        }
    }

    private void disconnect(VoiceState state) {
        byGuild.computeIfPresent(state.guildId(), (g, states) -> {
            states.remove(state.userId(), state);
            return states.isEmpty() ? null : states; // guilds without voice hold nothing
        });
        publish(state, null);
    }

    private void publish(VoiceState state, Long channelId) {
        MemberView member = ctx.store().read(tx -> memberView(tx, state.guildId(), state.userId()));
        ctx.bus().publish(GatewayEvent.guild(DispatchType.VOICE_STATE_UPDATE, state.guildId(), view(state, channelId, member)));
    }

    /** The member as a voice state shows it; null once the member has left the guild. */
    private static MemberView memberView(Tx tx, long guildId, long userId) {
        return tx.members().find(guildId, userId).flatMap(m -> tx.users().find(userId).map(u -> MemberView.of(m, u)))
                .orElse(null);
    }

    private Map<Long, VoiceState> statesOf(long guildId) {
        return byGuild.getOrDefault(guildId, Map.of());
    }

    private static Map<String, Object> view(VoiceState s, Long channelId, MemberView member) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("guild_id", s.guildId());
        v.put("channel_id", channelId);
        v.put("user_id", s.userId());
        if (member != null) {
            v.put("member", member);
        }
        v.put("session_id", s.sessionId());
        v.put("deaf", s.deaf());
        v.put("mute", s.mute());
        v.put("self_deaf", s.selfDeaf());
        v.put("self_mute", s.selfMute());
        v.put("self_video", false);
        v.put("suppress", false);
        v.put("request_to_speak_timestamp", null);
        return v;
    }
}
