package dev.gatehouse.voice.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.limit.WindowLimiter;
import dev.gatehouse.protocol.voice.SelectProtocol;
import dev.gatehouse.protocol.voice.Speaking;
import dev.gatehouse.protocol.voice.VoiceCloseCode;
import dev.gatehouse.protocol.voice.VoiceFrame;
import dev.gatehouse.protocol.voice.VoiceHeartbeat;
import dev.gatehouse.protocol.voice.VoiceIdentify;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import dev.gatehouse.protocol.voice.VoiceResume;
import dev.gatehouse.protocol.voice.VoiceViolation;
import dev.gatehouse.voice.VoiceConfig;
import dev.gatehouse.voice.crypto.EncryptionMode;
import java.util.random.RandomGenerator;

/**
 * The voice gateway's per-WebSocket state machine (docs/VOICE.md §2), sans-IO like the main
 * gateway's: frames and clock ticks go in, sends and closes come out through {@link VoiceIO}, and
 * membership goes through {@link VoiceRooms}. It owns Hello, the heartbeat and its timeout, the
 * frame size and rate limits, the order Identify or Resume, then Select Protocol, and every close
 * code a client's behaviour earns.
 *
 * <p>Not thread-safe: one connection lives on one event loop. Time moves only through the
 * {@code now} arguments; {@link #nextDeadline} tells the transport when to call {@link #tick}.
 */
public final class VoiceConnection {

    public enum State {
        /** Hello sent; waiting for Identify or Resume. */
        AWAITING_AUTH,
        /** Ready or Resumed sent; media flows once a protocol is selected. */
        ATTACHED,
        CLOSED
    }

    /** Where the relay listens, as Ready tells it. */
    public record UdpEndpoint(String ip, int port) {}

    private final int version;
    private final VoiceConfig config;
    private final VoiceRooms rooms;
    private final VoiceIO io;
    private final UdpEndpoint udp;
    private final RandomGenerator keys;
    private final WindowLimiter frames;
    private final long openedAt;

    private State state = State.AWAITING_AUTH;
    private VoiceSession session;
    private long lastHeartbeat;

    public VoiceConnection(int version, VoiceConfig config, VoiceRooms rooms, VoiceIO io, UdpEndpoint udp,
            RandomGenerator keys, long now) {
        this.version = version;
        this.config = config;
        this.rooms = rooms;
        this.io = io;
        this.udp = udp;
        this.keys = keys;
        this.frames = new WindowLimiter(config.framesPerMinute(), 60_000);
        this.openedAt = now;
        this.lastHeartbeat = now;
    }

    /** Sends Hello, the first message of every connection. */
    public void open() {
        io.send(VoiceFrames.hello(config.heartbeatIntervalMs(), version));
    }

    public State state() {
        return state;
    }

    public VoiceSession session() {
        return session;
    }

    // ---- input ---------------------------------------------------------------------------------

    /** A text frame from the client. */
    public void receiveText(byte[] payload, long now) {
        if (!admit(now)) {
            return;
        }
        try {
            handle(VoiceFrame.decode(payload, config.maxFrameBytes()), now);
        } catch (VoiceViolation v) {
            close(v.code(), v.reason(), now);
        }
    }

    /**
     * A binary frame: in v8 only DAVE's MLS messages travel so, and the session negotiated DAVE
     * version 0, so there is nothing a client may send this way.
     */
    public void receiveBinary(byte[] payload, long now) {
        if (!admit(now)) {
            return;
        }
        int op = payload.length > 0 ? payload[0] & 0xFF : -1;
        close(VoiceCloseCode.UNKNOWN_OPCODE, "Unknown binary opcode " + op + " (DAVE is not negotiated)", now);
    }

    private boolean admit(long now) {
        if (state == State.CLOSED) {
            return false;
        }
        if (!frames.tryAcquire(now)) {
            close(VoiceCloseCode.RATE_LIMITED, "More than " + config.framesPerMinute() + " messages a minute", now);
            return false;
        }
        return true;
    }

    private void handle(VoiceFrame frame, long now) throws VoiceViolation {
        VoiceOpcode op = frame.opcode();
        if (op != VoiceOpcode.HEARTBEAT && op != VoiceOpcode.IDENTIFY && op != VoiceOpcode.RESUME
                && state != State.ATTACHED) {
            throw new VoiceViolation(VoiceCloseCode.NOT_AUTHENTICATED, "Not authenticated: identify first");
        }
        switch (op) {
            case HEARTBEAT -> heartbeat(frame.d(), now);
            case IDENTIFY -> identify(frame.d(), now);
            case RESUME -> resume(frame.d(), now);
            case SELECT_PROTOCOL -> selectProtocol(frame.d());
            case SPEAKING -> rooms.speaking(session, Speaking.parse(frame.d()));
            default -> throw new VoiceViolation(VoiceCloseCode.UNKNOWN_OPCODE, "Unknown opcode " + op.code());
        }
    }

    private void heartbeat(JsonNode d, long now) throws VoiceViolation {
        VoiceHeartbeat heartbeat = VoiceHeartbeat.parse(d);
        lastHeartbeat = now;
        if (session != null && heartbeat.seqAck() >= 0 && version >= VoiceSession.NUMBERED_SINCE) {
            session.acknowledge(heartbeat.seqAck());
        }
        io.send(VoiceFrames.heartbeatAck(heartbeat.d()));
    }

    private void identify(JsonNode d, long now) throws VoiceViolation {
        if (state != State.AWAITING_AUTH) {
            throw new VoiceViolation(VoiceCloseCode.ALREADY_AUTHENTICATED, "Already authenticated");
        }
        VoiceIdentify identify = VoiceIdentify.parse(d);
        switch (rooms.identify(identify, version)) {
            case VoiceRooms.Admission.Refused r -> close(r.code(), r.reason(), now);
            case VoiceRooms.Admission.Admitted a -> {
                session = a.session();
                state = State.ATTACHED;
                session.attach(io, VoiceFrames.ready(session.ssrc(), udp.ip(), udp.port(), config.modes()), -1);
                rooms.announce(session);
            }
        }
    }

    private void resume(JsonNode d, long now) throws VoiceViolation {
        if (state != State.AWAITING_AUTH) {
            throw new VoiceViolation(VoiceCloseCode.ALREADY_AUTHENTICATED, "Already authenticated");
        }
        VoiceResume resume = VoiceResume.parse(d);
        switch (rooms.resume(resume)) {
            case VoiceRooms.Admission.Refused r -> close(r.code(), r.reason(), now);
            case VoiceRooms.Admission.Admitted a -> {
                if (!a.session().attach(io, VoiceFrames.resumed(), resume.seqAck())) {
                    rooms.end(a.session(), null, null);
                    close(VoiceCloseCode.SESSION_NO_LONGER_VALID, "Messages after seq_ack " + resume.seqAck()
                            + " are no longer kept", now);
                    return;
                }
                session = a.session();
                state = State.ATTACHED;
            }
        }
    }

    /** Op 1: the mode must be one Ready offered (4016); a new key for every selection. */
    private void selectProtocol(JsonNode d) throws VoiceViolation {
        SelectProtocol select = SelectProtocol.parse(d);
        EncryptionMode mode = EncryptionMode.of(select.mode());
        if (mode == null || !config.modes().contains(mode)) {
            throw new VoiceViolation(VoiceCloseCode.UNKNOWN_ENCRYPTION_MODE, "Unknown encryption mode " + select.mode());
        }
        byte[] key = new byte[EncryptionMode.KEY_BYTES];
        keys.nextBytes(key);
        byte[] mediaSessionId = new byte[16];
        keys.nextBytes(mediaSessionId);
        session.cipher(mode.cipher(key));
        session.emit(VoiceOpcode.SESSION_DESCRIPTION, VoiceFrames.sessionDescription(mode, key, mediaSessionId));
    }

    // ---- time and endings ----------------------------------------------------------------------

    /** When {@link #tick} must run next. */
    public long nextDeadline() {
        if (state == State.CLOSED) {
            return Long.MAX_VALUE;
        }
        long heartbeatDue = lastHeartbeat + config.heartbeatTimeoutMs();
        return state == State.AWAITING_AUTH ? Math.min(heartbeatDue, openedAt + config.identifyTimeoutMs()) : heartbeatDue;
    }

    public void tick(long now) {
        if (state == State.CLOSED) {
            return;
        }
        if (now - lastHeartbeat >= config.heartbeatTimeoutMs()) {
            close(VoiceCloseCode.SESSION_TIMEOUT, "No heartbeat for " + (now - lastHeartbeat) + " ms", now);
        } else if (state == State.AWAITING_AUTH && now - openedAt >= config.identifyTimeoutMs()) {
            close(VoiceCloseCode.SESSION_TIMEOUT, "No identify within " + config.identifyTimeoutMs() + " ms", now);
        }
    }

    /** The client closed, or the connection broke: the session waits for a resume. */
    public void disconnected(long now) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (session != null) {
            rooms.detached(session, io, now);
        }
    }

    /** Closes with {@code code}; the session survives for a resume only if the code says so. */
    private void close(VoiceCloseCode code, String reason, long now) {
        state = State.CLOSED;
        if (session != null) {
            rooms.detached(session, io, now);
            if (!code.keepsSession()) {
                rooms.end(session, code, reason);
            }
        }
        io.close(code, reason);
    }
}
