package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.gateway.ReconnectPolicy.Kind;
import dev.gatehouse.client.gateway.ReconnectPolicy.Plan;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.GatewayFrame;
import dev.gatehouse.protocol.gateway.GatewayPayload;
import dev.gatehouse.protocol.gateway.Heartbeat;
import dev.gatehouse.protocol.gateway.Hello;
import dev.gatehouse.protocol.gateway.Identify;
import dev.gatehouse.protocol.gateway.InvalidSession;
import dev.gatehouse.protocol.gateway.Opcode;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import dev.gatehouse.protocol.gateway.Ready;
import dev.gatehouse.protocol.gateway.Resume;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * A gateway client's session, free of I/O and clocks: connection events, frames and ticks go in
 * (with the time), connects, sends, closes and listener calls come out. One thread calls it.
 *
 * <p>It keeps one session across connections: identify once, then resume after every drop the
 * close code allows ({@link ReconnectPolicy}), deliver each dispatch once and in seq order, and
 * treat a connection whose heartbeats go unacknowledged as dead (a zombie) without waiting for TCP
 * to notice. The first heartbeat is jittered, so that clients reconnecting together spread out.
 * What the application sends is paced under the server's limits ({@link SendPacer}) and waits
 * across a resume; heartbeats, identify and resume never wait.
 */
public final class GatewayClientCore {

    /** The code the client closes with when it means to come back: any code but 1000/1001 keeps the session. */
    public static final int RECONNECT_CLOSE = 4900;

    public enum State {
        /** Not started. */
        IDLE,
        /** Between connections, until the reconnect deadline. */
        WAITING,
        /** A connection is being opened. */
        CONNECTING,
        /** Open; Hello not yet received. */
        AWAITING_HELLO,
        /** Identify or resume sent; READY or RESUMED not yet received. */
        HANDSHAKING,
        /** The session is live on this connection. */
        READY,
        /** The client closed the connection and waits for the transport to confirm. */
        CLOSING,
        /** For good: stopped by the application or by a close code that forbids reconnecting. */
        STOPPED
    }

    /** Why the client itself closed a connection: decides the plan once it is closed. */
    private enum OwnClose { ZOMBIE, RECONNECT_REQUESTED, INVALID_RESUMABLE, INVALID_ENDED, STOP }

    private final ClientConfig config;
    private final ClientTransport transport;
    private final GatewayListener listener;
    private final DoubleSupplier random;
    private final SendPacer pacer;

    private State state = State.IDLE;
    private String sessionId;
    private String resumeUrl;
    private long seq;
    private boolean resuming;
    private long heartbeatInterval;
    private long nextHeartbeatAt = Long.MAX_VALUE;
    private long heartbeatSentAt;
    private boolean acknowledged = true;
    private long helloDeadline = Long.MAX_VALUE;
    private long reconnectAt = Long.MAX_VALUE;
    private Kind reconnectKind = Kind.IDENTIFY;
    private OwnClose ownClose;
    private int failures;
    private long downSince = -1;
    private boolean everReady;
    /** Whether the current connection reached READY or RESUMED: a drop before that is a failed attempt. */
    private boolean liveOnThisConnection;

    /** @param random uniform in [0, 1): jitter for heartbeats and reconnect waits (tests pass a fixed one) */
    public GatewayClientCore(ClientConfig config, ClientTransport transport, GatewayListener listener, DoubleSupplier random) {
        this.config = config;
        this.transport = transport;
        this.listener = listener;
        this.random = random;
        this.pacer = new SendPacer(config.sendLimits());
    }

    public State state() {
        return state;
    }

    public String sessionId() {
        return sessionId;
    }

    /** The seq of the last dispatch delivered (0 before the first). */
    public long seq() {
        return seq;
    }

    /** Connects for the first time. */
    public void start(long now) {
        if (state != State.IDLE) {
            throw new IllegalStateException("already started");
        }
        connect(now, Kind.IDENTIFY);
    }

    /**
     * Leaves the current connection and resumes the session on a new one, as after op 7: to move
     * to another node, or to shed a connection the application distrusts.
     */
    public void reconnect(long now) {
        if (state == State.HANDSHAKING || state == State.READY) {
            closeOwn(OwnClose.RECONNECT_REQUESTED, "Client reconnecting");
        }
    }

    /** Closes with 1000, which ends the session on the server, and stays stopped. */
    public void stop(long now) {
        switch (state) {
            case CONNECTING, AWAITING_HELLO, HANDSHAKING, READY -> {
                ownClose = OwnClose.STOP;
                state = State.CLOSING;
                transport.close(1000, "Client stopped");
            }
            case CLOSING -> ownClose = OwnClose.STOP;
            case IDLE, WAITING -> stopped(1000, "Client stopped");
            case STOPPED -> { }
        }
    }

    /**
     * Queues an application frame (op 3, 4, 8, 14 ...), serialised: it goes out, paced, once the
     * session is live on a connection. {@code done} hears null when the frame is handed to the
     * connection, or why it never will be (the session ended, the client stopped, a newer presence
     * replaced it). Returns null when the frame is queued, else why it is refused at once.
     */
    public String enqueue(int op, String frame, long now, Consumer<String> done) {
        if (!isApplicationOp(config.dialect(), op)) {
            throw new IllegalArgumentException("op " + op + " is not one an application sends in the " + config.dialect()
                    + " dialect");
        }
        if (state == State.IDLE) {
            return "the client has not started";
        }
        if (state == State.STOPPED || (state == State.CLOSING && ownClose == OwnClose.STOP)) {
            return "the client stopped";
        }
        if (!pacer.offer(new SendPacer.Queued(op, frame, done))) {
            return SendPacer.MAX_QUEUED + " frames are waiting already";
        }
        releaseQueued(now);
        return null;
    }

    /**
     * Whether an application may send the opcode in the dialect: a request a session makes (op 3,
     * 4, 8; op 14 in fluxer). Heartbeat, identify and resume are the core's own (a second identify
     * would close the connection 4005), and the server refuses the rest with 4001.
     */
    public static boolean isApplicationOp(Dialect dialect, int op) {
        Opcode known = Opcode.of(op);
        return known != null && known.acceptedFromClient(dialect) && known.needsSession();
    }

    // ---- input ---------------------------------------------------------------------------------

    public void opened(long now) {
        if (state == State.CONNECTING) {
            state = State.AWAITING_HELLO;
        }
    }

    public void received(JsonNode frame, long now) {
        if (state != State.AWAITING_HELLO && state != State.HANDSHAKING && state != State.READY) {
            return; // closing: what the server still says no longer counts
        }
        try {
            GatewayFrame f = GatewayFrame.of(frame);
            if (f.opcode() == null) {
                return; // newer than this client: nothing the session must act on
            }
            switch (f.opcode()) {
                case HELLO -> hello(Hello.parse(f.d()), now);
                case HEARTBEAT_ACK -> {
                    if (!acknowledged) {
                        acknowledged = true;
                        listener.onHeartbeatAck(now - heartbeatSentAt);
                    }
                }
                case HEARTBEAT -> heartbeat(now);
                case RECONNECT -> closeOwn(OwnClose.RECONNECT_REQUESTED, "Reconnect requested by the server");
                case INVALID_SESSION -> closeOwn(InvalidSession.parse(f.d()).resumable() ? OwnClose.INVALID_RESUMABLE
                        : OwnClose.INVALID_ENDED, "Invalid session");
                case DISPATCH -> dispatch(f, now);
                default -> { } // op 12: a request failed, the session carries on
            }
        } catch (ProtocolViolation v) {
            unreadable(now);
        }
    }

    /** The server sent a frame that cannot be decoded: this connection cannot be trusted; resume on another. */
    public void unreadable(long now) {
        if (state == State.AWAITING_HELLO || state == State.HANDSHAKING || state == State.READY) {
            closeOwn(OwnClose.ZOMBIE, "Unreadable frame");
        }
    }

    /** The connection is gone: closed by either side, or never opened (code 1006 then). */
    public void closed(int code, String reason, long now) {
        if (state == State.IDLE || state == State.WAITING || state == State.STOPPED) {
            return;
        }
        boolean byClient = state == State.CLOSING;
        listener.onClosed(code, reason, !byClient);
        nextHeartbeatAt = Long.MAX_VALUE;
        helloDeadline = Long.MAX_VALUE;
        if (downSince < 0) {
            downSince = now;
        }
        if (!liveOnThisConnection) {
            failures++; // this connection never got to a live session
        }
        OwnClose why = byClient ? ownClose : null;
        ownClose = null;
        double r = random.getAsDouble();
        ReconnectPolicy policy = config.policy();
        Plan plan;
        if (why == null) {
            plan = policy.afterClose(config.dialect(), code, failures, sessionId != null, r);
        } else {
            plan = switch (why) {
                case STOP -> null;
                case ZOMBIE -> policy.afterZombie(failures, r);
                case RECONNECT_REQUESTED -> policy.afterReconnectRequest(r);
                case INVALID_RESUMABLE -> policy.afterInvalidSession(true, r);
                case INVALID_ENDED -> policy.afterInvalidSession(false, r);
            };
        }
        if (plan == null) {
            stopped(1000, "Client stopped");
        } else if (plan.kind() == Kind.STOP) {
            stopped(code, reason);
        } else {
            if (plan.kind() == Kind.IDENTIFY || sessionId == null) {
                forgetSession();
            }
            state = State.WAITING;
            reconnectKind = sessionId != null ? Kind.RESUME : Kind.IDENTIFY;
            reconnectAt = now + plan.delayMillis();
        }
    }

    /** Timers: heartbeats, the Hello deadline and the reconnect wait. */
    public void tick(long now) {
        switch (state) {
            case WAITING -> {
                if (now >= reconnectAt) {
                    connect(now, reconnectKind);
                }
            }
            case CONNECTING, AWAITING_HELLO -> {
                if (now >= helloDeadline) {
                    closeOwn(OwnClose.ZOMBIE, "No Hello within " + config.helloTimeout().toMillis() + " ms");
                }
            }
            case HANDSHAKING, READY -> {
                if (now >= nextHeartbeatAt) {
                    if (!acknowledged) {
                        closeOwn(OwnClose.ZOMBIE, "Heartbeat not acknowledged");
                        return;
                    } else {
                        heartbeat(now);
                        nextHeartbeatAt = now + heartbeatInterval;
                    }
                }
                releaseQueued(now);
            }
            default -> { }
        }
    }

    /** When {@link #tick} next has something to do; {@code Long.MAX_VALUE} for never. */
    public long nextDeadline(long now) {
        return switch (state) {
            case WAITING -> reconnectAt;
            case CONNECTING, AWAITING_HELLO -> helloDeadline;
            case HANDSHAKING -> nextHeartbeatAt;
            case READY -> Math.min(nextHeartbeatAt, pacer.nextReleaseAt(now));
            default -> Long.MAX_VALUE;
        };
    }

    // ---- the protocol ----------------------------------------------------------------------------

    private void connect(long now, Kind kind) {
        resuming = kind == Kind.RESUME && sessionId != null;
        liveOnThisConnection = false;
        state = State.CONNECTING;
        reconnectAt = Long.MAX_VALUE;
        helloDeadline = now + config.helloTimeout().toMillis();
        pacer.newConnection();
        String base = resuming && resumeUrl != null ? resumeUrl : config.gateway().toString();
        transport.connect(config.url(base));
    }

    private void hello(Hello hello, long now) {
        if (state != State.AWAITING_HELLO) {
            return;
        }
        heartbeatInterval = hello.heartbeatInterval();
        helloDeadline = Long.MAX_VALUE;
        acknowledged = true;
        // the first heartbeat at a random point of the first interval, as Discord asks
        nextHeartbeatAt = now + (long) (heartbeatInterval * random.getAsDouble());
        state = State.HANDSHAKING;
        if (resuming) {
            listener.onResumeAttempt();
            sendReserved(new Resume(config.token(), sessionId, seq), now);
        } else {
            sendReserved(identify(), now);
        }
    }

    private Identify identify() {
        long intents = config.dialect() == Dialect.DISCORD ? config.intents() : -1;
        return Identify.of(config.token(), intents, System.getProperty("os.name", "unknown").toLowerCase(), "gatehouse-client")
                .withShard(config.shardId(), config.shardCount());
    }

    private void heartbeat(long now) {
        sendReserved(seq > 0 ? new Heartbeat(seq) : Heartbeat.NONE, now);
        heartbeatSentAt = now;
        acknowledged = false;
    }

    private void dispatch(GatewayFrame frame, long now) throws ProtocolViolation {
        String type = frame.type() == null ? "" : frame.type();
        long s = frame.seq();
        JsonNode d = frame.d();
        if (type.equals("READY")) {
            Ready ready = Ready.parse(d);
            sessionId = ready.sessionId();
            resumeUrl = ready.resumeGatewayUrl();
            seq = s;
            live();
            listener.onIdentified(everReady ? now - downSince : -1);
            everReady = true;
            downSince = -1;
            listener.onDispatch(type, d, s);
            releaseQueued(now);
            return;
        }
        if (s > 0 && s <= seq) {
            listener.onDuplicate(s);
            return;
        }
        if (s > 0) {
            seq = s;
        }
        if (type.equals("RESUMED")) {
            live();
            listener.onResumed(downSince < 0 ? 0 : now - downSince);
            downSince = -1;
            listener.onDispatch(type, d, s);
            releaseQueued(now);
            return;
        }
        listener.onDispatch(type, d, s);
    }

    private void live() {
        state = State.READY;
        liveOnThisConnection = true;
        failures = 0;
    }

    /**
     * Sends what the pacer lets go now; only on a live session. A frame the connection no longer
     * takes (it closed and the core has yet to hear) goes back to wait for the next one.
     */
    private void releaseQueued(long now) {
        if (state != State.READY) {
            return;
        }
        List<SendPacer.Queued> frames = pacer.release(now);
        for (int i = 0; i < frames.size(); i++) {
            SendPacer.Queued frame = frames.get(i);
            boolean taken;
            try {
                taken = transport.send(frame.frame());
            } catch (RuntimeException e) { // the connection's encoding cannot carry it (ETF)
                frame.done().accept("it cannot be encoded: " + e.getMessage());
                continue;
            }
            if (!taken) {
                pacer.putBack(frames.subList(i, frames.size()));
                return;
            }
            frame.done().accept(null);
        }
    }

    private void closeOwn(OwnClose why, String reason) {
        ownClose = why;
        state = State.CLOSING;
        nextHeartbeatAt = Long.MAX_VALUE;
        helloDeadline = Long.MAX_VALUE;
        transport.close(RECONNECT_CLOSE, reason);
    }

    /** Heartbeat, identify, resume: never held back, but counted against the connection's budget. */
    private void sendReserved(GatewayPayload payload, long now) {
        transport.send(payload.frame().toJson().toString()); // a connection already gone reports its close next
        pacer.sentReserved(now);
    }

    private void forgetSession() {
        if (sessionId != null) {
            // what waits was meant for the session that is gone; before the first READY it waits on
            pacer.dropAll("the session ended");
            listener.onSessionEnded();
        }
        sessionId = null;
        resumeUrl = null;
        seq = 0;
    }

    private void stopped(int code, String reason) {
        state = State.STOPPED;
        reconnectAt = Long.MAX_VALUE;
        forgetSession();
        pacer.dropAll("the client stopped");
        listener.onStopped(code, reason);
    }
}
