package dev.gatehouse.voice.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.model.VoiceState;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.voice.Speaking;
import dev.gatehouse.protocol.voice.VoiceCloseCode;
import dev.gatehouse.protocol.voice.VoiceIdentify;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import dev.gatehouse.protocol.voice.VoiceResume;
import dev.gatehouse.voice.VoiceConfig;
import dev.gatehouse.voice.udp.PacketBudget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Every voice session of the node and the channels they are in: admits Identify and Resume against
 * the members' voice states, tells the others in a channel who arrives (op 11), speaks (op 5) and
 * leaves (op 13), follows the voice states as they change (a move takes the session along; a leave,
 * kick or ended main session closes it with 4014), and ends sessions whose WebSocket did not come
 * back in time.
 *
 * <p>Membership changes take this object's lock; they are rare. The relay's per-packet lookups
 * ({@link #bySsrc}, {@link VoiceRoom#members}) take none.
 */
public final class VoiceRooms {

    /** What an Identify or Resume came to. */
    public sealed interface Admission {
        record Admitted(VoiceSession session) implements Admission {}
        record Refused(VoiceCloseCode code, String reason) implements Admission {}
    }

    private final VoiceStates states;
    private final RandomGenerator random;
    private final VoiceConfig config;

    private final Map<String, VoiceSession> byToken = new HashMap<>();
    private final Map<Long, VoiceSession> bySsrc = new ConcurrentHashMap<>();
    private final Map<Long, VoiceRoom> byChannel = new ConcurrentHashMap<>();

    /** @param random draws SSRCs (not secrets: the keys come from the connection's generator) */
    public VoiceRooms(VoiceStates states, RandomGenerator random, VoiceConfig config) {
        this.states = states;
        this.random = random;
        this.config = config;
    }

    /**
     * Op 0: the token must be the one the member's current voice state was given, for this guild,
     * user and main session. 4011 when the member has no voice state in that guild, 4004 when the
     * token or session does not match. A member already connected is taken over: the older
     * WebSocket closes with 4006.
     */
    public synchronized Admission identify(VoiceIdentify id, int version) {
        VoiceState state = states.find(id.serverId(), id.userId());
        if (state == null) {
            return new Admission.Refused(VoiceCloseCode.SERVER_NOT_FOUND,
                    "No voice connection for user " + id.userId() + " in guild " + id.serverId());
        }
        if (!sameSecret(state.token(), id.token()) || !state.sessionId().equals(id.sessionId())) {
            return new Admission.Refused(VoiceCloseCode.AUTHENTICATION_FAILED, "Authentication failed");
        }
        VoiceSession old = byToken.get(state.token());
        if (old != null) {
            end(old, VoiceCloseCode.SESSION_NO_LONGER_VALID, "Identified again on another connection");
        }
        VoiceSession session = new VoiceSession(state, state.token(), newSsrc(), version, config.replayLimit(),
                new PacketBudget(config.packetsPerSecond(), config.packetBurst()));
        byToken.put(state.token(), session);
        bySsrc.put(session.ssrc(), session);
        enter(session, state.channelId());
        return new Admission.Admitted(session);
    }

    /** Op 7: a session not ended, with the same guild, main session and token; 4006 otherwise. */
    public synchronized Admission resume(VoiceResume resume) {
        VoiceSession session = byToken.get(resume.token());
        if (session == null || session.ended() || session.guildId() != resume.serverId()
                || !session.sessionId().equals(resume.sessionId()) || !sameSecret(session.token(), resume.token())) {
            return new Admission.Refused(VoiceCloseCode.SESSION_NO_LONGER_VALID, "Session no longer valid");
        }
        return new Admission.Admitted(session);
    }

    /** After Ready went out: the others in the channel learn of the member, the member of them. */
    public synchronized void announce(VoiceSession session) {
        VoiceRoom room = session.room();
        if (room == null || session.ended()) {
            return;
        }
        introduce(session, room);
    }

    /** Op 5: the others in the channel hear who speaks on which SSRC. */
    public void speaking(VoiceSession session, Speaking speaking) {
        session.speaking(speaking.speaking());
        Speaking relayed = new Speaking(speaking.speaking(), speaking.delay(), session.ssrc(), session.userId());
        VoiceRoom room = session.room();
        if (room != null) {
            for (VoiceSession peer : room.members()) {
                if (peer != session) {
                    peer.emit(VoiceOpcode.SPEAKING, relayed.data());
                }
            }
        }
    }

    /** The WebSocket closed with a code that keeps the session: it waits for a resume. */
    public void detached(VoiceSession session, VoiceIO io, long now) {
        session.detach(io, now);
    }

    /** Ends a session: its WebSocket (if any) closes with {@code code}, the others hear op 13. */
    public synchronized void end(VoiceSession session, VoiceCloseCode code, String reason) {
        if (session.ended()) {
            return;
        }
        session.end(code, reason);
        byToken.remove(session.token(), session);
        bySsrc.remove(session.ssrc(), session);
        leave(session);
    }

    /**
     * A member's voice state changed (called by the voice service inside the guild's section): a
     * removed state, or one now held by another main session, ends the voice session with 4014; a
     * move takes it to the new channel; mute, deafen and SPEAK apply to the relay at once.
     */
    public synchronized void stateChanged(VoiceState before, VoiceState after) {
        VoiceSession session = before == null ? null : byToken.get(before.token());
        if (session == null) {
            return;
        }
        if (after == null || !after.token().equals(before.token())) {
            end(session, VoiceCloseCode.DISCONNECTED, after == null ? "Disconnected from the voice channel"
                    : "Voice connection replaced");
            return;
        }
        session.follow(after);
        if (after.channelId() != before.channelId()) {
            leave(session);
            enter(session, after.channelId());
            introduce(session, session.room());
        }
    }

    /** Ends the sessions whose WebSocket has been gone longer than the resume window. */
    public synchronized void expire(long now) {
        for (VoiceSession session : List.copyOf(byToken.values())) {
            if (session.detachedSince(now - config.resumeWindowMs())) {
                end(session, null, null);
            }
        }
    }

    /** The node stops: every connection closes with 4015 so that clients resume (elsewhere, or here once back). */
    public synchronized void shutdown() {
        for (VoiceSession session : List.copyOf(byToken.values())) {
            end(session, VoiceCloseCode.SERVER_CRASHED, "Voice server shutting down");
        }
    }

    /** The session whose media uses this SSRC; read by the relay on every packet. */
    public VoiceSession bySsrc(long ssrc) {
        return bySsrc.get(ssrc);
    }

    public int sessions() {
        return bySsrc.size();
    }

    public int activeChannels() {
        return byChannel.size();
    }

    /** Visits every session (metrics, tests). */
    public void forEach(Consumer<VoiceSession> visitor) {
        bySsrc.values().forEach(visitor);
    }

    private void enter(VoiceSession session, long channelId) {
        VoiceRoom room = byChannel.computeIfAbsent(channelId, c -> new VoiceRoom(session.guildId(), c));
        room.add(session);
        session.room(room);
    }

    /**
     * The member and the others in the room learn of each other: op 11 with the user ids, and op 5
     * with each one's SSRC and speaking flags (0 when silent). Receivers map an SSRC to a member only
     * from op 5, so it goes out before any media can: a speaker's first packets are not dropped for
     * want of it.
     */
    private void introduce(VoiceSession session, VoiceRoom room) {
        List<String> present = new ArrayList<>();
        Speaking newcomer = new Speaking(session.speaking(), 0, session.ssrc(), session.userId());
        for (VoiceSession peer : room.members()) {
            if (peer == session) {
                continue;
            }
            present.add(Long.toString(peer.userId()));
            peer.emit(VoiceOpcode.CLIENTS_CONNECT, userIds(List.of(Long.toString(session.userId()))));
            peer.emit(VoiceOpcode.SPEAKING, newcomer.data());
        }
        if (!present.isEmpty()) {
            session.emit(VoiceOpcode.CLIENTS_CONNECT, userIds(present));
            for (VoiceSession peer : room.members()) {
                if (peer != session) {
                    session.emit(VoiceOpcode.SPEAKING, new Speaking(peer.speaking(), 0, peer.ssrc(), peer.userId()).data());
                }
            }
        }
    }

    private void leave(VoiceSession session) {
        VoiceRoom room = session.room();
        if (room == null) {
            return;
        }
        room.remove(session);
        if (room.isEmpty()) {
            byChannel.remove(room.channelId(), room);
        }
        ObjectNode gone = Json.mapper().createObjectNode().put("user_id", Long.toString(session.userId()));
        for (VoiceSession peer : room.members()) {
            peer.emit(VoiceOpcode.CLIENT_DISCONNECT, gone);
        }
    }

    private static ObjectNode userIds(List<String> ids) {
        ObjectNode d = Json.mapper().createObjectNode();
        ArrayNode array = d.putArray("user_ids");
        ids.forEach(array::add);
        return d;
    }

    /** A fresh non-zero SSRC no live session uses. */
    private long newSsrc() {
        long ssrc;
        do {
            ssrc = random.nextLong(1, 0x1_0000_0000L);
        } while (bySsrc.containsKey(ssrc));
        return ssrc;
    }

    private static boolean sameSecret(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
