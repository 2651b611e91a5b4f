package dev.gatehouse.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.limit.WindowLimiter;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Encoding;
import dev.gatehouse.protocol.gateway.GatewayFrame;
import dev.gatehouse.protocol.gateway.Heartbeat;
import dev.gatehouse.protocol.gateway.Identify;
import dev.gatehouse.protocol.gateway.Opcode;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import dev.gatehouse.protocol.gateway.Resume;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's per-connection state machine (docs/PROTOCOL.md §2-6), sans-IO: frames and clock ticks
 * go in, sends, closes and requests come out through {@link ConnectionIO}. It owns Hello, the
 * heartbeat and its timeouts, the frame size and rate limits, opcode and authentication checks,
 * and the per-connection limits of op 3, 4 and 8; the {@link GatewaySession} it attaches to owns
 * sequence numbers and replay.
 *
 * <p>Not thread-safe: one connection lives on one event loop. Time only moves through the
 * {@code now} arguments; {@link #nextDeadline} tells the transport when to call {@link #tick}.
 */
public final class GatewayConnection {

    public enum State {
        /** Hello sent; waiting for Identify or Resume. */
        AWAITING_AUTH,
        /** Identify accepted for checking against the store. */
        IDENTIFYING,
        /** Resume accepted for checking. */
        RESUMING,
        /** Attached to a session; dispatches flow. */
        READY,
        CLOSED
    }

    private final Dialect dialect;
    private final Encoding encoding;
    private final GatewayConfig config;
    private final ConnectionIO io;
    private final SessionSink sink;
    private final long knownIntents;
    private final long openedAt;

    private State state = State.AWAITING_AUTH;
    private GatewaySession session;
    /** The resume being checked (state RESUMING). */
    private Resume pendingResume;
    private boolean authenticatedOnce;
    private long now;
    private long lastClientHeartbeat;
    private long heartbeatRequestedAt = -1;
    private final WindowLimiter frames;
    private final WindowLimiter memberRequests;
    private final WindowLimiter voiceStates;
    private final WindowLimiter presenceUpdates;
    private final ArrayDeque<JsonNode> voiceQueue = new ArrayDeque<>();
    private JsonNode pendingPresence;

    /**
     * @param sink how the session writes to this connection once attached
     * @param knownIntents the intent bits the discord dialect accepts (others: 4013)
     */
    public GatewayConnection(Dialect dialect, GatewayConfig config, ConnectionIO io, SessionSink sink, long knownIntents, long now) {
        this(dialect, Encoding.JSON, config, io, sink, knownIntents, now);
    }

    public GatewayConnection(Dialect dialect, Encoding encoding, GatewayConfig config, ConnectionIO io, SessionSink sink,
            long knownIntents, long now) {
        this.dialect = dialect;
        this.encoding = encoding;
        this.config = config;
        this.io = io;
        this.sink = sink;
        this.knownIntents = knownIntents;
        this.openedAt = now;
        this.now = now;
        this.lastClientHeartbeat = now;
        this.frames = new WindowLimiter(config.framesPerWindow(), config.frameWindowMs());
        this.memberRequests = new WindowLimiter(config.memberRequestsPerWindow(), config.memberRequestWindowMs());
        this.voiceStates = new WindowLimiter(config.voiceStatesPerSecond(), 1000);
        this.presenceUpdates = new WindowLimiter(config.presenceUpdatesPerWindow(), config.presenceWindowMs());
    }

    /** Sends Hello: the first frame of every connection. */
    public void open() {
        io.send(ServerFrames.hello(config.heartbeatIntervalMs()));
    }

    public State state() {
        return state;
    }

    public Dialect dialect() {
        return dialect;
    }

    public GatewaySession session() {
        return session;
    }

    /** Op 4 requests waiting for the rate limit (bounded by the config). */
    int queuedVoiceStates() {
        return voiceQueue.size();
    }

    // ---- input: frames -----------------------------------------------------------------------

    /** One frame from the client, in the connection's encoding. */
    public void receive(byte[] payload, long at) {
        now = Math.max(now, at);
        if (state == State.CLOSED) {
            return;
        }
        if (!frames.tryAcquire(now)) {
            close(CloseCode.RATE_LIMITED, "Rate limited: more than " + config.framesPerWindow() + " payloads in "
                    + config.frameWindowMs() / 1000 + " s");
            return;
        }
        try {
            handle(GatewayFrame.decode(payload, encoding, dialect, config.maxFrameBytes()));
        } catch (ProtocolViolation v) {
            close(v.code(), v.reason());
        }
    }

    private void handle(GatewayFrame frame) throws ProtocolViolation {
        Opcode op = frame.opcode();
        if (op == null || !op.acceptedFromClient(dialect)) {
            throw new ProtocolViolation(CloseCode.UNKNOWN_OPCODE, "Unknown opcode " + frame.op());
        }
        if (op.needsSession() && state != State.READY) {
            throw new ProtocolViolation(CloseCode.NOT_AUTHENTICATED, "Not authenticated: identify or resume first");
        }
        switch (op) {
            case HEARTBEAT -> heartbeat(frame.d());
            case IDENTIFY -> identify(frame.d());
            case RESUME -> resume(frame.d());
            case PRESENCE_UPDATE -> presence(frame.d());
            case VOICE_STATE_UPDATE -> voiceState(frame.d());
            case REQUEST_GUILD_MEMBERS -> requestMembers(frame.d());
            case LAZY_REQUEST -> io.request(session, op, frame.d());
            default -> throw new ProtocolViolation(CloseCode.UNKNOWN_OPCODE, "Unknown opcode " + frame.op());
        }
    }

    private void heartbeat(JsonNode d) throws ProtocolViolation {
        Heartbeat heartbeat = Heartbeat.parse(d);
        // before a session exists the client may still carry the seq of its previous one
        if (heartbeat.hasSeq() && session != null && !session.acknowledge(heartbeat.lastSeq())) {
            throw new ProtocolViolation(CloseCode.INVALID_SEQ, "Heartbeat seq " + heartbeat.lastSeq()
                    + " is ahead of the session's seq " + session.seq());
        }
        lastClientHeartbeat = now;
        io.heartbeatReceived();
        if (heartbeatRequestedAt >= 0) {
            io.heartbeatRoundTrip(now - heartbeatRequestedAt);
            heartbeatRequestedAt = -1;
        }
        io.send(ServerFrames.HEARTBEAT_ACK);
    }

    private void identify(JsonNode d) throws ProtocolViolation {
        if (state != State.AWAITING_AUTH || authenticatedOnce) {
            throw new ProtocolViolation(CloseCode.ALREADY_AUTHENTICATED, "Already authenticated");
        }
        Identify identify = Identify.parse(d, dialect, knownIntents);
        state = State.IDENTIFYING;
        io.identify(identify);
    }

    private void resume(JsonNode d) throws ProtocolViolation {
        if (state != State.AWAITING_AUTH || authenticatedOnce) {
            throw new ProtocolViolation(CloseCode.ALREADY_AUTHENTICATED, "Already authenticated");
        }
        Resume resume = Resume.parse(d);
        state = State.RESUMING;
        pendingResume = resume;
        io.resume(resume);
    }

    /** Op 3: five per 20 s; beyond that the latest waits and is applied when the window allows. */
    private void presence(JsonNode d) throws ProtocolViolation {
        if (presenceUpdates.tryAcquire(now)) {
            pendingPresence = null;
            io.request(session, Opcode.PRESENCE_UPDATE, d);
        } else {
            pendingPresence = d;
        }
    }

    /** Op 4: ten per second; beyond that queued (at most 64, the oldest dropped) and drained in order. */
    private void voiceState(JsonNode d) throws ProtocolViolation {
        if (voiceQueue.isEmpty() && voiceStates.tryAcquire(now)) {
            io.request(session, Opcode.VOICE_STATE_UPDATE, d);
            return;
        }
        voiceQueue.addLast(d);
        if (voiceQueue.size() > config.voiceQueue()) {
            voiceQueue.pollFirst();
        }
    }

    /** Op 8: three per 10 s; beyond, fluxer closes 4008 and discord answers RATE_LIMITED. */
    private void requestMembers(JsonNode d) throws ProtocolViolation {
        if (memberRequests.tryAcquire(now)) {
            io.request(session, Opcode.REQUEST_GUILD_MEMBERS, d);
            return;
        }
        if (dialect == Dialect.FLUXER) {
            throw new ProtocolViolation(CloseCode.RATE_LIMITED, "Rate limited: more than "
                    + config.memberRequestsPerWindow() + " member requests in " + config.memberRequestWindowMs() / 1000 + " s");
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        JsonNode guildId = d.isObject() ? d.get("guild_id") : null;
        JsonNode nonce = d.isObject() ? d.get("nonce") : null;
        meta.put("guild_id", guildId != null && guildId.isValueNode() ? guildId.asText() : null);
        if (nonce != null && nonce.isTextual() && nonce.textValue().length() <= 32) {
            meta.put("nonce", nonce.textValue());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("opcode", Opcode.REQUEST_GUILD_MEMBERS.code());
        body.put("retry_after", Math.max(0, memberRequests.nextPermitAt() - now) / 1000.0);
        body.put("meta", meta);
        session.dispatchNow("RATE_LIMITED", Json.bytes(body));
    }

    // ---- input: answers to identify and resume -----------------------------------------------

    /** Identify succeeded: the session exists, attached to this connection's sink. */
    public void identified(GatewaySession newSession, long at) {
        now = Math.max(now, at);
        if (state != State.IDENTIFYING) {
            // the client left while the store was asked: keep the session resumable
            newSession.detach(sink, now);
            return;
        }
        attach(newSession);
    }

    /**
     * The answer to a resume: the session the client named ({@code null} when there is none, or it
     * is another dialect's), already known to belong to the client's user. Decides what the resume
     * becomes on the wire, per dialect (docs/PROTOCOL.md §4.4): replay and RESUMED; op 9 for a
     * session that is gone; for a seq ahead of the session or older than what it kept, fluxer
     * closes 4007 and ends the session (closing any connection that still holds it), discord
     * answers op 9. Returns the outcome, or null when this connection stopped waiting for it.
     */
    public GatewaySession.ResumeOutcome resumeWith(GatewaySession found, long at) {
        now = Math.max(now, at);
        if (state != State.RESUMING) {
            return null;
        }
        if (found == null || found.identity().dialect() != dialect) {
            invalidSession(false);
            return GatewaySession.ResumeOutcome.UNKNOWN;
        }
        long seq = pendingResume.seq();
        GatewaySession.ResumeOutcome outcome = found.resume(sink, seq, now);
        switch (outcome) {
            case RESUMED -> attach(found);
            case SEQ_AHEAD, SEQ_BEHIND -> {
                if (dialect == Dialect.FLUXER) {
                    String reason = outcome == GatewaySession.ResumeOutcome.SEQ_AHEAD
                            ? "Invalid seq: " + seq + " is ahead of the session"
                            : "Invalid seq: dispatches after " + seq + " are no longer buffered";
                    found.end(CloseCode.INVALID_SEQ, "Invalid seq: the session was ended by a resume with an invalid seq");
                    close(CloseCode.INVALID_SEQ, reason);
                } else {
                    invalidSession(false);
                }
            }
            case ENDED, UNKNOWN -> invalidSession(false);
        }
        return outcome;
    }

    /**
     * An identify the hub refused (docs/PROTOCOL.md §4.3): 4004, 4014 or 4011 close the connection;
     * over the identify limits the client gets op 9 and may identify again on this connection.
     */
    public void refuseIdentify(IdentifyRefusal refusal, String reason) {
        if (refusal.closeCode() != null) {
            close(refusal.closeCode(), reason);
        } else {
            invalidSession(false);
        }
    }

    /** A resume whose token is bad or another user's: 4004. */
    public void refuseResume(String reason) {
        if (state == State.RESUMING) {
            close(CloseCode.AUTHENTICATION_FAILED, reason);
        }
    }

    private void attach(GatewaySession s) {
        session = s;
        pendingResume = null;
        state = State.READY;
        authenticatedOnce = true;
    }

    /**
     * Op 9: the identify was over a limit or the resume cannot be honoured. The client may identify
     * again on this connection.
     */
    public void invalidSession(boolean resumable) {
        if (state == State.IDENTIFYING || state == State.RESUMING) {
            state = State.AWAITING_AUTH;
            io.send(resumable ? ServerFrames.INVALID_SESSION_RESUMABLE : ServerFrames.INVALID_SESSION);
        }
    }

    /** Identify or resume was refused with a close code (4004, 4011, 4014 ...). */
    public void reject(CloseCode code, String reason) {
        close(code, reason);
    }

    // ---- input: time -------------------------------------------------------------------------

    /** When {@link #tick} next has something to do. */
    public long nextDeadline() {
        if (state == State.CLOSED) {
            return Long.MAX_VALUE;
        }
        long next = state == State.READY ? Long.MAX_VALUE : openedAt + config.sessionTimeoutMs();
        next = Math.min(next, heartbeatRequestedAt >= 0
                ? lastClientHeartbeat + config.sessionTimeoutMs()
                : lastClientHeartbeat + config.heartbeatRequestAfterMs());
        if (!voiceQueue.isEmpty()) {
            next = Math.min(next, voiceStates.nextPermitAt());
        }
        if (pendingPresence != null) {
            next = Math.min(next, presenceUpdates.nextPermitAt());
        }
        if (session != null) {
            next = Math.min(next, session.nextDeadline());
        }
        return next;
    }

    public void tick(long at) {
        now = Math.max(now, at);
        if (state == State.CLOSED) {
            return;
        }
        if (state != State.READY && now - openedAt >= config.sessionTimeoutMs()) {
            close(CloseCode.SESSION_TIMED_OUT, "Session timed out: no identify or resume within "
                    + config.sessionTimeoutMs() / 1000 + " s");
            return;
        }
        long silence = now - lastClientHeartbeat;
        if (heartbeatRequestedAt >= 0 && silence >= config.sessionTimeoutMs()) {
            close(CloseCode.SESSION_TIMED_OUT, "Session timed out: no heartbeat for " + silence / 1000 + " s");
            return;
        }
        if (heartbeatRequestedAt < 0 && silence >= config.heartbeatRequestAfterMs()) {
            heartbeatRequestedAt = now;
            io.send(ServerFrames.HEARTBEAT_REQUEST);
        }
        try {
            while (!voiceQueue.isEmpty() && state == State.READY && voiceStates.tryAcquire(now)) {
                io.request(session, Opcode.VOICE_STATE_UPDATE, voiceQueue.pollFirst());
            }
            if (pendingPresence != null && state == State.READY && presenceUpdates.tryAcquire(now)) {
                JsonNode d = pendingPresence;
                pendingPresence = null;
                io.request(session, Opcode.PRESENCE_UPDATE, d);
            }
        } catch (ProtocolViolation v) {
            close(v.code(), v.reason());
            return;
        }
        if (session != null && state == State.READY) {
            session.tick(now);
        }
    }

    // ---- input: the transport ----------------------------------------------------------------

    /** The client sent a close frame. 1000 and 1001 end the session; anything else keeps it. */
    public void closedByClient(int code, long at) {
        now = Math.max(now, at);
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (session != null) {
            if (code == 1000 || code == 1001) {
                session.endFrom(sink);
            } else {
                session.detach(sink, now);
            }
        }
    }

    /** The socket went away without a close frame: the session stays resumable. */
    public void lost(long at) {
        closedByClient(1006, at);
    }

    /** Drain or shutdown: op 7, then 4000, the session kept for a resume elsewhere. */
    public void reconnect(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        io.send(ServerFrames.RECONNECT);
        close(CloseCode.UNKNOWN_ERROR, reason);
    }

    /** Closes with a code; whether the session survives is the code's to say (docs/PROTOCOL.md §6). */
    public void close(CloseCode code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        io.close(code.code(), reason);
        if (session != null) {
            if (code.endsSession()) {
                session.endFrom(sink);
            } else {
                session.detach(sink, now);
            }
        }
    }

}
