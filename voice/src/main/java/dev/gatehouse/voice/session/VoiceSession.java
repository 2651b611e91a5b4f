package dev.gatehouse.voice.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.model.VoiceState;
import dev.gatehouse.protocol.voice.VoiceCloseCode;
import dev.gatehouse.protocol.voice.VoiceFrame;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import dev.gatehouse.voice.crypto.TransportCipher;
import dev.gatehouse.voice.udp.PacketBudget;
import dev.gatehouse.voice.udp.ReplayWindow;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One member's voice connection to a guild, from Identify until it ends; it outlives its WebSocket
 * for a resume. The relay reads the media side (SSRC, cipher, address, permissions) on its event
 * loop; the signalling side (numbered messages and their replay) is synchronised, because peers'
 * events arrive from their own threads.
 *
 * <p>Every message the session emits gets a number. In v8 the number goes on the wire as
 * {@code seq} and the client acknowledges it in its heartbeats; a resume replays what came after
 * the client's {@code seq_ack}. Earlier versions have no numbers on the wire: the session keeps only
 * what it emitted while no WebSocket was attached, and replays that.
 */
public final class VoiceSession {

    /** The first version that numbers messages and acknowledges them. */
    public static final int NUMBERED_SINCE = 8;

    private final long guildId;
    private final long userId;
    private final String sessionId;
    private final String token;
    private final long ssrc;
    private final int version;
    private final int replayLimit;
    /** The relay's rate limit for this sender; touched only on the relay's loop. */
    private final PacketBudget packets;

    private volatile VoiceRoom room;
    private volatile TransportCipher cipher;
    /** The nonces used under the current key; a new key starts a new window. */
    private volatile ReplayWindow replays;
    private volatile InetSocketAddress address;
    /** Server mute, self mute, no SPEAK or a stage listener: the relay forwards nothing from this member. */
    private volatile boolean silenced;
    /** Server or self deafened: the relay sends nothing to this member. */
    private volatile boolean deafened;
    private volatile int speaking;
    private volatile boolean ended;

    // signalling, under this
    private long seq;
    private final ArrayDeque<Numbered> unacknowledged = new ArrayDeque<>();
    /** The oldest number a resume can still replay from; earlier ones were dropped at the limit. */
    private long replayableFrom = 1;
    private VoiceIO link;
    private long detachedAt = -1;

    private record Numbered(long seq, String json) {}

    VoiceSession(VoiceState state, String token, long ssrc, int version, int replayLimit, PacketBudget packets) {
        this.guildId = state.guildId();
        this.userId = state.userId();
        this.sessionId = state.sessionId();
        this.token = token;
        this.ssrc = ssrc;
        this.version = version;
        this.replayLimit = replayLimit;
        this.packets = packets;
        follow(state);
    }

    public long guildId() {
        return guildId;
    }

    public long userId() {
        return userId;
    }

    /** The main gateway session that joined. */
    public String sessionId() {
        return sessionId;
    }

    String token() {
        return token;
    }

    public long ssrc() {
        return ssrc;
    }

    public int version() {
        return version;
    }

    public PacketBudget packets() {
        return packets;
    }

    public VoiceRoom room() {
        return room;
    }

    void room(VoiceRoom now) {
        room = now;
    }

    public TransportCipher cipher() {
        return cipher;
    }

    /** A new key (Select Protocol): the client's nonce counter may start over under it. */
    void cipher(TransportCipher chosen) {
        replays = new ReplayWindow();
        cipher = chosen;
    }

    /** The anti-replay window of the current key; read after {@link #cipher()}. */
    public ReplayWindow replays() {
        return replays;
    }

    /** Where the relay sends this member's media: the address that completed IP discovery. */
    public InetSocketAddress address() {
        return address;
    }

    public void discovered(InetSocketAddress from) {
        address = from;
    }

    public boolean silenced() {
        return silenced;
    }

    public boolean deafened() {
        return deafened;
    }

    public int speaking() {
        return speaking;
    }

    void speaking(int flags) {
        speaking = flags;
    }

    public boolean ended() {
        return ended;
    }

    /** Takes mute, deafen, SPEAK and a stage's suppression from the member's voice state. */
    void follow(VoiceState state) {
        silenced = !state.audible();
        deafened = state.deaf() || state.selfDeaf();
    }

    // ---- signalling ---------------------------------------------------------------------------

    private boolean numbersOnWire() {
        return version >= NUMBERED_SINCE;
    }

    /** Numbers a message and sends it to the attached WebSocket, or keeps it for the resume. */
    synchronized void emit(VoiceOpcode op, JsonNode d) {
        if (ended) {
            return;
        }
        long n = ++seq;
        String json = VoiceFrame.encode(op, d, numbersOnWire() ? n : -1);
        if (link != null) {
            link.send(json);
        }
        if (link == null || numbersOnWire()) {
            unacknowledged.addLast(new Numbered(n, json));
            if (unacknowledged.size() > replayLimit) {
                replayableFrom = unacknowledged.removeFirst().seq() + 1;
            }
        }
    }

    /** A v8 heartbeat's {@code seq_ack}: what the client has, which no resume needs again. */
    synchronized void acknowledge(long seqAck) {
        while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().seq() <= seqAck) {
            unacknowledged.removeFirst();
        }
        replayableFrom = Math.max(replayableFrom, Math.min(seqAck, seq) + 1);
    }

    /** The last number emitted. */
    synchronized long seq() {
        return seq;
    }

    /**
     * Attaches a WebSocket: sends {@code first} (Ready or Resumed), then the messages after
     * {@code seqAck} (v8) or every kept one (earlier versions, {@code seqAck} -1). False, with nothing
     * sent, when they cannot all be replayed.
     */
    synchronized boolean attach(VoiceIO io, String first, long seqAck) {
        long from = numbersOnWire() && seqAck >= 0 ? seqAck + 1 : firstKept();
        if (ended || from < replayableFrom || (numbersOnWire() && seqAck > seq)) {
            return false;
        }
        if (link != null && link != io) {
            link.close(VoiceCloseCode.SESSION_NO_LONGER_VALID, "Resumed on another connection");
        }
        link = io;
        detachedAt = -1;
        io.send(first);
        for (Iterator<Numbered> it = unacknowledged.iterator(); it.hasNext();) {
            Numbered m = it.next();
            if (m.seq() >= from) {
                io.send(m.json());
            }
            if (!numbersOnWire()) {
                it.remove();
            }
        }
        return true;
    }

    private long firstKept() {
        return unacknowledged.isEmpty() ? seq + 1 : unacknowledged.peekFirst().seq();
    }

    /** The WebSocket went away; the session waits for a resume from {@code now}. */
    synchronized void detach(VoiceIO io, long now) {
        if (link == io) {
            link = null;
            detachedAt = now;
        }
    }

    /** Whether no WebSocket has been attached since {@code before}. */
    synchronized boolean detachedSince(long before) {
        return link == null && detachedAt >= 0 && detachedAt <= before;
    }

    /** Ends the session, closing its WebSocket with {@code code} when one is attached. */
    synchronized void end(VoiceCloseCode code, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        unacknowledged.clear();
        if (link != null) {
            VoiceIO io = link;
            link = null;
            if (code != null) {
                io.close(code, reason);
            }
        }
    }

    @Override
    public String toString() {
        return "VoiceSession[guild=" + guildId + ", user=" + userId + ", ssrc=" + ssrc + "]";
    }
}
