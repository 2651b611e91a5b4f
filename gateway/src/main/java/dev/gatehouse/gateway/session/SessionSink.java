package dev.gatehouse.gateway.session;

import dev.gatehouse.protocol.gateway.CloseCode;

/**
 * Where a session's dispatches go: the connection it is attached to. Implemented by the transport
 * (which wraps the shared body in the per-session envelope and compresses it) and by tests.
 * Called with the session's lock held, so implementations must not block.
 */
public interface SessionSink {

    /** Queues {@code {"op":0,"t":type,"s":seq,"d":body}}; {@link #flush} sends what is queued. */
    void write(long seq, String type, byte[] body);

    void flush();

    /**
     * The session has timed work (a fluxer batch of presences or reactions) due at {@code at}:
     * the connection must tick it by then, whichever thread queued the work.
     */
    void wakeAt(long at);

    /** Closes the connection with the code (a session-level verdict such as 4013 or a takeover). */
    void close(CloseCode code, String reason);
}
