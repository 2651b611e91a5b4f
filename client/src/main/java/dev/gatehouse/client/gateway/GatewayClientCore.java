package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.client.gateway.ReconnectPolicy.Kind;
import dev.gatehouse.client.gateway.ReconnectPolicy.Plan;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Opcode;
import java.util.function.DoubleSupplier;

/**
 * A gateway client's session, free of I/O and clocks: connection events, frames and ticks go in
 * (with the time), connects, sends, closes and listener calls come out. One thread calls it.
 *
 * <p>It keeps one session across connections: identify once, then resume after every drop the
 * close code allows ({@link ReconnectPolicy}), deliver each dispatch once and in seq order, and
 * treat a connection whose heartbeats go unacknowledged as dead (a zombie) without waiting for TCP
 * to notice. The first heartbeat is jittered, so that clients reconnecting together spread out.
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
        switch (frame.path("op").asInt(-1)) {
            case Opcode.HELLO -> hello(frame.path("d"), now);
            case Opcode.HEARTBEAT_ACK -> {
                if (!acknowledged) {
                    acknowledged = true;
                    listener.onHeartbeatAck(now - heartbeatSentAt);
                }
            }
            case Opcode.HEARTBEAT -> heartbeat(now);
            case Opcode.RECONNECT -> closeOwn(OwnClose.RECONNECT_REQUESTED, "Reconnect requested by the server");
            case Opcode.INVALID_SESSION -> closeOwn(frame.path("d").asBoolean(false) ? OwnClose.INVALID_RESUMABLE
                    : OwnClose.INVALID_ENDED, "Invalid session");
            case Opcode.DISPATCH -> dispatch(frame, now);
            default -> { } // op 12 and anything newer: nothing the session must act on
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
                    } else {
                        heartbeat(now);
                        nextHeartbeatAt = now + heartbeatInterval;
                    }
                }
            }
            default -> { }
        }
    }

    /** When {@link #tick} next has something to do; {@code Long.MAX_VALUE} for never. */
    public long nextDeadline() {
        return switch (state) {
            case WAITING -> reconnectAt;
            case CONNECTING, AWAITING_HELLO -> helloDeadline;
            case HANDSHAKING, READY -> nextHeartbeatAt;
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
        String base = resuming && resumeUrl != null ? resumeUrl : config.gateway().toString();
        transport.connect(config.url(base));
    }

    private void hello(JsonNode d, long now) {
        if (state != State.AWAITING_HELLO) {
            return;
        }
        heartbeatInterval = Math.max(1, d.path("heartbeat_interval").asLong(41_250));
        helloDeadline = Long.MAX_VALUE;
        acknowledged = true;
        // the first heartbeat at a random point of the first interval, as Discord asks
        nextHeartbeatAt = now + (long) (heartbeatInterval * random.getAsDouble());
        state = State.HANDSHAKING;
        if (resuming) {
            listener.onResumeAttempt();
            ObjectNode resume = Json.mapper().createObjectNode().put("token", config.token()).put("session_id", sessionId)
                    .put("seq", seq);
            send(Opcode.RESUME, resume);
        } else {
            send(Opcode.IDENTIFY, identify());
        }
    }

    private ObjectNode identify() {
        ObjectNode d = Json.mapper().createObjectNode().put("token", config.token());
        d.putObject("properties").put("os", System.getProperty("os.name", "unknown").toLowerCase())
                .put("browser", "gatehouse-client").put("device", "gatehouse-client");
        if (config.dialect() == Dialect.DISCORD) {
            d.put("intents", config.intents());
        }
        d.putArray("shard").add(config.shardId()).add(config.shardCount());
        return d;
    }

    private void heartbeat(long now) {
        ObjectNode frame = Json.mapper().createObjectNode().put("op", Opcode.HEARTBEAT);
        if (seq > 0) {
            frame.put("d", seq);
        } else {
            frame.putNull("d");
        }
        transport.send(frame.toString());
        heartbeatSentAt = now;
        acknowledged = false;
    }

    private void dispatch(JsonNode frame, long now) {
        String type = frame.path("t").asText();
        long s = frame.path("s").asLong(0);
        JsonNode d = frame.get("d");
        if (type.equals("READY")) {
            sessionId = d.path("session_id").asText(null);
            resumeUrl = d.hasNonNull("resume_gateway_url") ? d.get("resume_gateway_url").asText() : null;
            seq = s;
            live();
            listener.onIdentified(everReady ? now - downSince : -1);
            everReady = true;
            downSince = -1;
            listener.onDispatch(type, d, s);
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
        }
        listener.onDispatch(type, d, s);
    }

    private void live() {
        state = State.READY;
        liveOnThisConnection = true;
        failures = 0;
    }

    private void closeOwn(OwnClose why, String reason) {
        ownClose = why;
        state = State.CLOSING;
        nextHeartbeatAt = Long.MAX_VALUE;
        helloDeadline = Long.MAX_VALUE;
        transport.close(RECONNECT_CLOSE, reason);
    }

    private void send(int op, JsonNode d) {
        ObjectNode frame = Json.mapper().createObjectNode().put("op", op);
        frame.set("d", d);
        transport.send(frame.toString());
    }

    private void forgetSession() {
        sessionId = null;
        resumeUrl = null;
        seq = 0;
    }

    private void stopped(int code, String reason) {
        state = State.STOPPED;
        reconnectAt = Long.MAX_VALUE;
        forgetSession();
        listener.onStopped(code, reason);
    }
}
