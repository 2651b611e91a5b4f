package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;

/** Op 9 Invalid Session: {@code d} says whether the session may still be resumed. */
public record InvalidSession(boolean resumable) implements GatewayPayload {

    public static InvalidSession parse(JsonNode d) throws ProtocolViolation {
        if (d == null || d.isNull()) {
            return new InvalidSession(false);
        }
        if (!d.isBoolean()) {
            throw Fields.decode("Invalid Session payload must be a boolean");
        }
        return new InvalidSession(d.booleanValue());
    }

    @Override
    public Opcode opcode() {
        return Opcode.INVALID_SESSION;
    }

    @Override
    public JsonNode data() {
        return BooleanNode.valueOf(resumable);
    }
}
