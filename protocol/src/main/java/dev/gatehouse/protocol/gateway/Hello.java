package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;

/** Op 10 Hello: the first frame of every connection, with the interval the client heartbeats at. */
public record Hello(long heartbeatInterval) implements GatewayPayload {

    public Hello {
        if (heartbeatInterval < 1) {
            throw new IllegalArgumentException("heartbeat_interval must be positive: " + heartbeatInterval);
        }
    }

    public static Hello parse(JsonNode d) throws ProtocolViolation {
        Fields.object(d, "Hello");
        long interval = Fields.integer(d, "heartbeat_interval", 1, Integer.MAX_VALUE, 0);
        if (interval == 0) {
            throw Fields.decode("heartbeat_interval is required");
        }
        return new Hello(interval);
    }

    @Override
    public Opcode opcode() {
        return Opcode.HELLO;
    }

    @Override
    public JsonNode data() {
        return Json.mapper().createObjectNode().put("heartbeat_interval", heartbeatInterval);
    }
}
