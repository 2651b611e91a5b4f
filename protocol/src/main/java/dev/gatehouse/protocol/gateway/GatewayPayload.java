package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A typed gateway payload: the {@code d} of one opcode. Both sides use the same types: the server
 * parses what clients send with each type's {@code parse} (shape errors are the protocol's 4002),
 * and the client SDK builds its frames from them.
 */
public interface GatewayPayload {

    Opcode opcode();

    /** The payload as it goes in the frame's {@code d}. */
    JsonNode data();

    /** The payload in its frame (not a dispatch: no {@code s}, no {@code t}). */
    default GatewayFrame frame() {
        return new GatewayFrame(opcode().code(), data(), 0, null);
    }
}
