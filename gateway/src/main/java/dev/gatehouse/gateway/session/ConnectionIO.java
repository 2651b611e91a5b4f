package dev.gatehouse.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.gateway.Identify;
import dev.gatehouse.protocol.gateway.Opcode;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import dev.gatehouse.protocol.gateway.Resume;

/**
 * What a {@link GatewayConnection} asks of its surroundings. The transport implements it; tests
 * record the calls. Identify and resume need the store, so they are requests whose answers come
 * back later through {@link GatewayConnection#identified}, {@link GatewayConnection#resumed},
 * {@link GatewayConnection#invalidSession} or {@link GatewayConnection#reject}.
 */
public interface ConnectionIO {

    /** Sends a control frame (Hello, heartbeat ACK, op 9 ...) now. */
    void send(String frame);

    /** Sends a close frame with the code and reason, then closes the socket. No input follows. */
    void close(int code, String reason);

    void identify(Identify identify);

    void resume(Resume resume);

    /**
     * A session request (op 3, 4, 8 or 14) that passed the connection's rate limits. Throws when
     * the payload is malformed; the connection then closes with the violation's code.
     */
    void request(GatewaySession session, Opcode op, JsonNode d) throws ProtocolViolation;

    /** Time from the server's heartbeat request to the client's heartbeat, for monitoring. */
    default void heartbeatRoundTrip(long millis) {}

    /** A client heartbeat arrived (every one, asked for or not): the transport measures the link's latency. */
    default void heartbeatReceived() {}
}
