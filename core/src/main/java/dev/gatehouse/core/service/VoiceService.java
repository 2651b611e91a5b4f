package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.EventData;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.VoiceState;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who is in which voice channel. States live in memory on the node, as Discord keeps them in its
 * guild process; each change happens in the guild's section and goes out as VOICE_STATE_UPDATE in
 * that order, so a GUILD_CREATE snapshot's {@code voice_states} and the updates after it agree.
 *
 * <p>A member who leaves the guild (leave, kick, ban), a deleted channel and a deleted guild take
 * their states with them: the removal disconnects them in its own transaction, so each member's
 * disconnect (a VOICE_STATE_UPDATE with {@code channel_id} null) is logged before the removal's
 * events; a removal made by another process is heard on the bus and disconnected after it. Role,
 * overwrite and member changes re-check SPEAK for the members in voice.
 *
 * <p>Each join gets a voice token for the voice gateway; {@link Listener}s (the node's voice server)
 * hear every change, so a removed state ends its voice connection (close 4014).
 */
public final class VoiceService {

    /** What an op 4 came to. */
    public sealed interface Outcome {
        /**
         * In a channel now. {@code connect} when the member needs a (new) voice connection: a first
         * join, or one from another gateway session; a move or a mute keeps the connection it has.
         */
        record Joined(VoiceState state, boolean connect) implements Outcome {}
        record Left() implements Outcome {}
        record Refused(String reason) implements Outcome {}
    }

    /** Hears every change of a voice state, inside the guild's section, after its VOICE_STATE_UPDATE. */
    @FunctionalInterface
    public interface Listener {
        /** {@code before} or {@code after} is null for a join or a leave. */
        void changed(VoiceState before, VoiceState after);
    }

    private static final SecureRandom TOKENS = new SecureRandom();

    private final Platform.Context ctx;
    private final Map<Long, Map<Long, VoiceState>> byGuild = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile String endpoint;

    public VoiceService(Platform.Context ctx) {
        this.ctx = ctx;
        ctx.bus().subscribe(this::followChanges);
    }

    /** Registers a listener (the node's voice server). */
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Where this node's voice gateway is reached ({@code host:port}); null while none runs. */
    public String endpoint() {
        return endpoint;
    }

    public void serveAt(String hostAndPort) {
        endpoint = hostAndPort;
    }

    /**
     * Op 4: joins or moves to {@code channelId} (VIEW_CHANNEL and CONNECT needed; a channel at its
     * {@code user_limit} only with MOVE_MEMBERS), or leaves with null. A leave without a state
     * changes nothing.
     */
    public Outcome update(long userId, String sessionId, long guildId, Long channelId, boolean selfMute, boolean selfDeaf) {
        return ctx.inGuild(guildId, () -> {
            VoiceState before = find(guildId, userId);
            Admission admission = ctx.store().read(tx -> admission(tx, guildId, userId, channelId, before));
            if (admission.problem() != null) {
                return new Outcome.Refused(admission.problem());
            }
            if (channelId == null) {
                if (before != null) {
                    disconnect(before);
                }
                return new Outcome.Left();
            }
            boolean connect = before == null || !before.sessionId().equals(sessionId);
            boolean stays = before != null && before.channelId() == channelId;
            // a stage takes everyone in as a listener; staying in the channel keeps the stage role
            VoiceState state = new VoiceState(guildId, channelId, userId, sessionId, connect ? newToken() : before.token(),
                    before != null && before.mute(), before != null && before.deaf(), selfMute, selfDeaf,
                    admission.speak(), stays ? before.suppress() : admission.stage(), stays ? before.requestToSpeak() : null);
            change(before, state);
            return new Outcome.Joined(state, connect);
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
            long channelId = move ? moveTo : before.channelId();
            boolean stays = channelId == before.channelId();
            boolean speak = stays ? before.speak() : ctx.store().read(tx -> canSpeak(tx, guildId, userId, channelId));
            boolean stage = stays ? before.suppress() : ctx.store().read(tx -> isStage(tx, guildId, channelId));
            VoiceState after = new VoiceState(guildId, channelId, userId, before.sessionId(), before.token(),
                    mute != null ? mute : before.mute(), deaf != null ? deaf : before.deaf(), before.selfMute(),
                    before.selfDeaf(), speak, stage, stays ? before.requestToSpeak() : null);
            if (!after.equals(before)) {
                change(before, after);
            }
            return null;
        });
    }

    /**
     * {@code PATCH /guilds/{id}/voice-states/@me} and {@code /{user.id}}: a member's role on a stage.
     * {@code channel_id} must be the stage the member is in (10065 when not in it, 50024 when it is
     * not a stage). For oneself: {@code suppress} false needs MUTE_MEMBERS there, true is always
     * allowed; {@code request_to_speak_timestamp} (now or later) needs REQUEST_TO_SPEAK, null is
     * always allowed. For another member, only {@code suppress}, with MUTE_MEMBERS. Goes out as
     * VOICE_STATE_UPDATE; a suppressed member's audio is not relayed.
     */
    public void updateStage(Principal who, long guildId, long userId, Form form) {
        boolean self = userId == who.userId();
        long channelId = form.snowflake("channel_id") == null ? 0 : form.snowflake("channel_id");
        Boolean suppress = form.optBool("suppress");
        boolean requestGiven = self && form.has("request_to_speak_timestamp");
        Instant request = requestGiven ? form.optTimestamp("request_to_speak_timestamp") : null;
        if (request != null && request.isBefore(ctx.clock().instant().minusSeconds(5))) {
            form.error("request_to_speak_timestamp", "BASE_TYPE_BAD_TIME", "Must be now or in the future.");
        }
        form.validate();
        ctx.inGuild(guildId, () -> {
            VoiceState before = find(guildId, userId);
            ctx.store().read(tx -> {
                GuildContext gc = GuildContext.load(tx, guildId, who.userId());
                if (before == null || before.channelId() != channelId) {
                    throw new ApiException(ErrorCode.UNKNOWN_VOICE_STATE);
                }
                Channel stage = tx.channels().find(channelId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_CHANNEL));
                if (stage.type() != ChannelType.GUILD_STAGE_VOICE) {
                    throw new ApiException(ErrorCode.WRONG_CHANNEL_TYPE);
                }
                long perms = gc.permissionsIn(stage);
                if (suppress != null && (!self || !suppress) && !Permission.MUTE_MEMBERS.in(perms)) {
                    throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
                }
                if (request != null && !Permission.REQUEST_TO_SPEAK.in(perms)) {
                    throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
                }
                return null;
            });
            VoiceState after = before.withStage(suppress != null ? suppress : before.suppress(),
                    requestGiven ? request : before.requestToSpeak());
            if (!after.equals(before)) {
                change(before, after);
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

    /** Whether anyone is in a voice channel of the guild on this node. */
    public boolean hasStatesIn(long guildId) {
        return byGuild.containsKey(guildId);
    }

    public VoiceState find(long guildId, long userId) {
        return statesOf(guildId).get(userId);
    }

    /** How many members are in the channel. */
    public long countIn(long guildId, long channelId) {
        return statesOf(guildId).values().stream().filter(s -> s.channelId() == channelId).count();
    }

    /** Whether an op 4 may go ahead and, in the channel it names, whether the member may speak and whether it is a stage. */
    private record Admission(String problem, boolean speak, boolean stage) {
        static Admission refused(String problem) {
            return new Admission(problem, false, false);
        }
    }

    private Admission admission(Tx tx, long guildId, long userId, Long channelId, VoiceState before) {
        GuildContext guild;
        try {
            guild = GuildContext.load(tx, guildId, userId);
        } catch (RuntimeException notMember) {
            return Admission.refused("Unknown guild");
        }
        if (channelId == null) {
            return new Admission(null, false, false);
        }
        Channel channel = voiceChannel(tx, guildId, channelId);
        if (channel == null) {
            return Admission.refused("Unknown voice channel");
        }
        long perms = guild.permissionsIn(channel);
        if (!Permission.VIEW_CHANNEL.in(perms) || !Permission.CONNECT.in(perms)) {
            return Admission.refused("Missing permission to connect");
        }
        boolean alreadyThere = before != null && before.channelId() == channelId;
        if (channel.userLimit() > 0 && !alreadyThere && !Permission.MOVE_MEMBERS.in(perms)
                && countIn(guildId, channelId) >= channel.userLimit()) {
            return Admission.refused("Channel full");
        }
        return new Admission(null, Permission.SPEAK.in(perms), channel.type() == ChannelType.GUILD_STAGE_VOICE);
    }

    private static Channel voiceChannel(Tx tx, long guildId, long channelId) {
        Channel channel = tx.channels().find(channelId).orElse(null);
        return channel == null || channel.guildId() == null || channel.guildId() != guildId
                || !ChannelType.isVoice(channel.type()) ? null : channel;
    }

    private static boolean isStage(Tx tx, long guildId, long channelId) {
        Channel channel = voiceChannel(tx, guildId, channelId);
        return channel != null && channel.type() == ChannelType.GUILD_STAGE_VOICE;
    }

    /** SPEAK in the channel; false when the member or the channel is gone. */
    private static boolean canSpeak(Tx tx, long guildId, long userId, long channelId) {
        Channel channel = voiceChannel(tx, guildId, channelId);
        if (channel == null || tx.members().find(guildId, userId).isEmpty()) {
            return false;
        }
        return Permission.SPEAK.in(GuildContext.load(tx, guildId, userId).permissionsIn(channel));
    }

    /**
     * Removals and permission changes that come with other changes, heard inside their section.
     * This node's own removals disconnected their states already, in their transaction
     * ({@link #memberLeaving}, {@link #channelDeleting}); what is left here came from another
     * process, and its disconnect follows the removal.
     */
    private void followChanges(GatewayEvent e) {
        if (e.guildId() == null || !byGuild.containsKey(e.guildId())) {
            return;
        }
        long guildId = e.guildId();
        switch (e.type()) {
            case GUILD_MEMBER_REMOVE -> {
                Long userId = EventData.userId(e.data());
                if (userId != null) {
                    VoiceState state = statesOf(guildId).get(userId);
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
                    // the guild is gone, and everyone with it
                    Map<Long, VoiceState> gone = byGuild.remove(guildId);
                    if (gone != null) {
                        gone.values().forEach(state -> tell(state, null));
                    }
                }
            }
            // who may speak can change with roles, overwrites and a member's roles
            case GUILD_UPDATE, GUILD_ROLE_UPDATE, GUILD_ROLE_DELETE, CHANNEL_UPDATE, GUILD_MEMBER_UPDATE -> recheckSpeak(guildId);
            default -> { }
        }
    }

    private void recheckSpeak(long guildId) {
        for (VoiceState state : List.copyOf(statesOf(guildId).values())) {
            boolean speak = ctx.store().read(tx -> canSpeak(tx, guildId, state.userId(), state.channelId()));
            if (speak != state.speak()) {
                VoiceState after = state.withSpeak(speak);
                byGuild.computeIfAbsent(guildId, g -> new ConcurrentHashMap<>()).put(state.userId(), after);
                tell(state, after); // nothing a client sees changed: no VOICE_STATE_UPDATE
            }
        }
    }

    /** Keeps {@code after} (a join or a change) and tells the guild and the listeners. */
    private void change(VoiceState before, VoiceState after) {
        byGuild.computeIfAbsent(after.guildId(), g -> new ConcurrentHashMap<>()).put(after.userId(), after);
        publish(after, after.channelId());
        tell(before, after);
    }

    private void disconnect(VoiceState state) {
        ctx.store().write(tx -> {
            disconnect(tx, state);
            return null;
        });
    }

    /** Drops the state and logs its VOICE_STATE_UPDATE (channel null) in {@code tx}. */
    private void disconnect(Tx tx, VoiceState state) {
        byGuild.computeIfPresent(state.guildId(), (g, states) -> {
            states.remove(state.userId(), state);
            return states.isEmpty() ? null : states; // guilds without voice hold nothing
        });
        publish(tx, state, null);
        tell(state, null);
    }

    /**
     * A member is leaving the guild (a leave, kick or ban) in {@code tx}, inside the guild's
     * section: the member's voice state goes first, its disconnect logged before the removal.
     */
    public void memberLeaving(Tx tx, long guildId, long userId) {
        VoiceState state = find(guildId, userId);
        if (state != null) {
            disconnect(tx, state);
        }
    }

    /** A voice channel is being deleted in {@code tx}: everyone in it is disconnected first. */
    public void channelDeleting(Tx tx, long guildId, long channelId) {
        for (VoiceState state : List.copyOf(statesOf(guildId).values())) {
            if (state.channelId() == channelId) {
                disconnect(tx, state);
            }
        }
    }

    private void tell(VoiceState before, VoiceState after) {
        for (Listener listener : listeners) {
            listener.changed(before, after);
        }
    }

    private static String newToken() {
        byte[] token = new byte[16];
        TOKENS.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    /**
     * Logs the VOICE_STATE_UPDATE like any change's event: the state lives in this node's memory,
     * but its update takes its place in the guild's order for every node.
     */
    private void publish(VoiceState state, Long channelId) {
        ctx.store().write(tx -> {
            publish(tx, state, channelId);
            return null;
        });
    }

    private static void publish(Tx tx, VoiceState state, Long channelId) {
        MemberView member = memberView(tx, state.guildId(), state.userId());
        tx.events().publish(GatewayEvent.guild(DispatchType.VOICE_STATE_UPDATE, state.guildId(), view(state, channelId, member)));
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
        v.put("suppress", s.suppress());
        v.put("request_to_speak_timestamp", s.requestToSpeak() == null ? null : s.requestToSpeak().toString());
        return v;
    }
}
