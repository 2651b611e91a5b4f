package dev.gatehouse.gateway.session;

import dev.gatehouse.gateway.presence.SessionPresence;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One gateway session: what outlives a connection. It numbers dispatches, keeps the unacknowledged
 * ones for resume, applies the dialect's backpressure rules and the fluxer batching buffers, and
 * writes to whichever connection is attached. Sans-IO: time is an argument and output goes to a
 * {@link SessionSink}.
 *
 * <p>Thread-safety: every method takes the session's lock. Fan-out calls {@link #dispatch} from
 * the session's home event loop only, so dispatches reach the client in publish order even while
 * the session moves to a connection on another loop; the connection calls {@link #acknowledge}
 * from its own loop. The lock is uncontended in the common case (one connection, one loop).
 *
 * <p>Lifecycle: STARTING (READY and the initial GUILD_CREATEs go out, live events wait) → LIVE
 * (attached or detached; detached sessions keep numbering and buffering) → ENDED.
 */
public final class GatewaySession {

    public enum ResumeOutcome {
        RESUMED,
        /** Ended or expired: the client must identify. */
        ENDED,
        /** The client claims a seq the session never sent. */
        SEQ_AHEAD,
        /** Dispatches after the client's seq are no longer buffered. */
        SEQ_BEHIND,
        /** No such session here (decided by whoever looked it up, never by a session). */
        UNKNOWN
    }

    private record Pending(String type, byte[] body, Object coalesceKey) {}

    /** RESUMED's body: an object, as Discord sends it (libraries such as JDA ignore a null one). */
    private static final byte[] RESUMED_BODY = "{\"_trace\":[\"gatehouse\"]}".getBytes(StandardCharsets.US_ASCII);

    private final String id;
    private final SessionIdentity identity;
    private final GatewayConfig config;
    private final ReplayBuffer replay = new ReplayBuffer();
    private final long createdAt;

    private SessionSink attached;
    private long detachedAt = -1;
    private long seq;
    private boolean live;
    private boolean ended;
    private final ArrayDeque<Pending> startingQueue = new ArrayDeque<>();
    private final List<byte[]> reactions = new ArrayList<>();
    private final Map<Object, byte[]> presences = new LinkedHashMap<>();
    private long batchDueAt = Long.MAX_VALUE;
    private final List<Consumer<GatewaySession>> endListeners = new ArrayList<>(1);

    public GatewaySession(String id, SessionIdentity identity, GatewayConfig config, SessionSink sink, long now) {
        this.id = id;
        this.identity = identity;
        this.config = config;
        this.attached = sink;
        this.createdAt = now;
    }

    public String id() {
        return id;
    }

    public SessionIdentity identity() {
        return identity;
    }

    public long createdAt() {
        return createdAt;
    }

    /** Runs once when the session ends, with the lock held: must not block. */
    public synchronized void onEnd(Consumer<GatewaySession> listener) {
        endListeners.add(listener);
    }

    // ---- start -------------------------------------------------------------------------------

    /**
     * Sends a dispatch of the start sequence (READY as s=1, then the GUILD_CREATEs) ahead of any
     * live event that arrived meanwhile.
     */
    public synchronized void dispatchNow(String type, byte[] body) {
        if (!ended) {
            emit(type, body);
            flush();
        }
    }

    /** Ends the start sequence: the live events that waited go out, in order. */
    public synchronized void goLive(long now) {
        if (ended || live) {
            return;
        }
        live = true;
        while (!startingQueue.isEmpty() && !ended) {
            Pending p = startingQueue.pollFirst();
            route(p.type(), p.body(), p.coalesceKey(), now);
        }
        flush();
    }

    // ---- dispatch ----------------------------------------------------------------------------

    /**
     * A live event for this session. Returns whether something was written to the attached
     * connection, in which case the caller flushes ({@link #flush}) after its batch.
     *
     * @param coalesceKey for PRESENCE_UPDATE in the fluxer dialect: updates with the same key
     *     replace each other while pending (the user and guild they are about)
     */
    public synchronized boolean dispatch(String type, byte[] body, Object coalesceKey, long now) {
        if (ended) {
            return false;
        }
        if (!live) {
            startingQueue.addLast(new Pending(type, body, coalesceKey));
            if (startingQueue.size() > config.replayEvents()) {
                if (identity.dialect() == Dialect.FLUXER) {
                    overflow("events", startingQueue.size(), config.replayEvents());
                } else {
                    // discord has no backpressure code (its 4013 means bad intents: the client would
                    // stop), and dropping what waits would lose events unseen: the session ends, the
                    // client's resume gets op 9 and it identifies again, with a fresh snapshot
                    end(CloseCode.UNKNOWN_ERROR, "Too many events while the session started");
                }
            }
            return false;
        }
        return route(type, body, coalesceKey, now);
    }

    private boolean route(String type, byte[] body, Object coalesceKey, long now) {
        if (identity.debouncesReactions() && type.equals("MESSAGE_REACTION_ADD")) {
            reactions.add(body);
            if (reactions.size() > config.reactionBuffer()) {
                overflow("reactions", reactions.size(), config.reactionBuffer());
            } else {
                scheduleBatch(now);
            }
            return false;
        }
        if (identity.dialect() == Dialect.FLUXER && type.equals("PRESENCE_UPDATE") && coalesceKey != null) {
            presences.put(coalesceKey, body);
            if (presences.size() > config.presenceBuffer()) {
                overflow("presences", presences.size(), config.presenceBuffer());
            } else {
                scheduleBatch(now);
            }
            return false;
        }
        return emit(type, body);
    }

    private void scheduleBatch(long now) {
        if (batchDueAt == Long.MAX_VALUE) {
            batchDueAt = now + config.batchFlushMs();
            if (attached != null) {
                attached.wakeAt(batchDueAt);
            }
        }
    }

    /** Numbers a dispatch, keeps it for resume and writes it if a connection is attached. */
    private boolean emit(String type, byte[] body) {
        long s = ++seq;
        replay.append(s, type, body);
        if (replay.size() > config.replayEvents() || replay.bytes() > config.replayBytes()) {
            if (identity.dialect() == Dialect.FLUXER) {
                boolean byCount = replay.size() > config.replayEvents();
                overflow("events", byCount ? replay.size() : replay.bytes(), byCount ? config.replayEvents() : config.replayBytes());
                return false;
            }
            // discord: the oldest go; a resume from before them is refused (op 9)
            while (replay.size() > config.replayEvents() || replay.bytes() > config.replayBytes()) {
                replay.dropOldest();
            }
        }
        if (attached != null) {
            attached.write(s, type, body);
            return true;
        }
        return false;
    }

    /** Fluxer's acknowledgement backpressure: the session cannot be kept whole, so it ends. */
    private void overflow(String kind, long unacked, long limit) {
        end(CloseCode.CODE_4013, "Acknowledgement backlog exceeded: kind=" + kind + " unacked=" + unacked + " limit=" + limit);
    }

    public synchronized void flush() {
        if (attached != null) {
            attached.flush();
        }
    }

    /** When {@link #tick} next has work: the due time of the pending batches. */
    public synchronized long nextDeadline() {
        return batchDueAt;
    }

    /** Sends the debounced reactions and pending presences once they are due. */
    public synchronized void tick(long now) {
        if (ended || now < batchDueAt) {
            return;
        }
        batchDueAt = Long.MAX_VALUE;
        if (!reactions.isEmpty()) {
            emit("MESSAGE_REACTION_ADD_MANY", reactionsBody());
            reactions.clear();
        }
        for (byte[] presence : presences.values()) {
            if (ended) {
                return;
            }
            emit("PRESENCE_UPDATE", presence);
        }
        presences.clear();
        flush();
    }

    /** {@code {"reactions":[<MESSAGE_REACTION_ADD body>, ...]}}, in the order they happened. */
    private byte[] reactionsBody() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + reactions.size() * 256);
        out.writeBytes("{\"reactions\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < reactions.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(reactions.get(i));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    // ---- moving to another node -------------------------------------------------------------

    /**
     * What the session holds, to go on on another node (docs/ARCHITECTURE.md, "Cluster"): pending
     * batches (fluxer reactions and presences) are numbered first, so nothing waits only here. The
     * caller supplies what the hub knows (stream positions, followed guilds) and ends the session
     * afterwards.
     */
    public synchronized SessionState export(Map<Long, Long> positions, Set<Long> guilds, SessionPresence presence) {
        if (!reactions.isEmpty()) {
            emit("MESSAGE_REACTION_ADD_MANY", reactionsBody());
            reactions.clear();
        }
        for (byte[] p : presences.values()) {
            emit("PRESENCE_UPDATE", p);
        }
        presences.clear();
        batchDueAt = Long.MAX_VALUE;
        List<SessionState.Dispatch> held = new ArrayList<>();
        replay.entries().forEach(e -> held.add(new SessionState.Dispatch(e.seq(), e.type(), e.body())));
        return new SessionState(id, identity, seq, replay.firstReplayable(), held, positions, guilds, presence);
    }

    /**
     * A session another node handed over, here without a connection until the client resumes: it
     * numbers on from where it stopped and replays what the client has not acknowledged.
     */
    public static GatewaySession restore(SessionState state, GatewayConfig config, long now) {
        GatewaySession session = new GatewaySession(state.id(), state.identity(), config, null, now);
        synchronized (session) {
            session.seq = state.seq();
            session.live = true;
            session.detachedAt = now;
            List<ReplayBuffer.Entry> held = new ArrayList<>();
            state.replay().forEach(d -> held.add(new ReplayBuffer.Entry(d.seq(), d.type(), d.body())));
            session.replay.restore(state.firstReplayable(), held);
        }
        return session;
    }

    // ---- acknowledgement, resume, detach, end ------------------------------------------------

    /**
     * The client's heartbeat {@code d}: everything up to {@code ackSeq} arrived. False when the
     * client acknowledges a seq the session never sent (4007).
     */
    public synchronized boolean acknowledge(long ackSeq) {
        if (ackSeq > seq || ackSeq < 0) {
            return false;
        }
        replay.release(ackSeq);
        return true;
    }

    /**
     * Moves the session to a new connection and replays every dispatch after {@code clientSeq},
     * then RESUMED. A connection still attached is closed 4000 first (takeover).
     */
    public synchronized ResumeOutcome resume(SessionSink sink, long clientSeq, long now) {
        if (ended || isExpired(now)) {
            return ResumeOutcome.ENDED;
        }
        if (clientSeq > seq || clientSeq < 0) {
            return ResumeOutcome.SEQ_AHEAD;
        }
        if (!replay.canReplayAfter(clientSeq)) {
            return ResumeOutcome.SEQ_BEHIND;
        }
        SessionSink previous = attached;
        attached = sink;
        detachedAt = -1;
        if (previous != null && previous != sink) {
            previous.close(CloseCode.UNKNOWN_ERROR, "Session resumed on another connection");
        }
        replay.forEachAfter(clientSeq, e -> sink.write(e.seq(), e.type(), e.body()));
        emit("RESUMED", RESUMED_BODY);
        flush();
        if (batchDueAt != Long.MAX_VALUE) {
            sink.wakeAt(batchDueAt); // a batch was waiting while no connection could tick it
        }
        return ResumeOutcome.RESUMED;
    }

    /** The connection went away without ending the session: keep it for the resume window. */
    public synchronized void detach(SessionSink sink, long now) {
        if (attached == sink && !ended) {
            attached = null;
            detachedAt = now;
        }
    }

    /**
     * Ends the session on behalf of a connection, if that connection still holds it: a connection
     * the session has moved away from (resumed elsewhere) must not end it.
     */
    public synchronized boolean endFrom(SessionSink sink) {
        return attached == sink && finish();
    }

    /**
     * Ends the session (idempotent); the end listeners run the first time. A connection still
     * attached is closed with the code, so it never stays READY on a session that is gone.
     */
    public synchronized boolean end(CloseCode code, String reason) {
        SessionSink sink = attached;
        if (!finish()) {
            return false;
        }
        if (sink != null) {
            sink.close(code, reason);
        }
        return true;
    }

    /** Ends the session if its resume window passed, in one step (a resume cannot slip in between). */
    public synchronized boolean expireIfDue(long now) {
        return isExpired(now) && finish();
    }

    private boolean finish() {
        if (ended) {
            return false;
        }
        ended = true;
        attached = null;
        startingQueue.clear();
        reactions.clear();
        presences.clear();
        batchDueAt = Long.MAX_VALUE;
        for (Consumer<GatewaySession> listener : endListeners) {
            listener.accept(this);
        }
        return true;
    }

    public synchronized boolean isExpired(long now) {
        return !ended && attached == null && detachedAt >= 0 && now - detachedAt >= config.resumeWindowMs();
    }

    /** When the session lost its connection, or -1 while one is attached. */
    public synchronized long detachedSince() {
        return attached == null ? detachedAt : -1;
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    /** Past its start sequence (READY and the first GUILD_CREATEs are out) and not ended. */
    public synchronized boolean isLive() {
        return live && !ended;
    }

    public synchronized boolean isAttached() {
        return attached != null;
    }

    public synchronized boolean isAttachedTo(SessionSink sink) {
        return attached == sink;
    }

    public synchronized long seq() {
        return seq;
    }

    /** Unacknowledged dispatches held for resume. */
    public synchronized int replayDepth() {
        return replay.size();
    }

    public synchronized long replayBytes() {
        return replay.bytes();
    }

    @Override
    public String toString() {
        return "GatewaySession[" + id + " user=" + identity.userId() + "]";
    }
}
