package dev.gatehouse.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.CloseCode;
import java.io.IOException;

/** One frame a client sent: {@code {"op":int,"d":any}}, parsed and checked for shape (4002). */
public record ClientFrame(int op, JsonNode d) {

    public static ClientFrame parse(byte[] utf8, Dialect dialect, int maxBytes) throws ProtocolViolation {
        if (utf8.length > maxBytes) {
            throw new ProtocolViolation(CloseCode.DECODE_ERROR, "Payload too large: " + utf8.length + " bytes, limit " + maxBytes);
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(utf8);
        } catch (IOException | RuntimeException e) {
            // malformed text, bad UTF-8, nesting beyond Jackson's depth limit: all the client's fault
            throw new ProtocolViolation(CloseCode.DECODE_ERROR, "Invalid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolViolation(CloseCode.DECODE_ERROR, "Payload must be a JSON object");
        }
        JsonNode op = root.get("op");
        if (op == null || !op.isIntegralNumber() || !op.canConvertToInt()) {
            throw new ProtocolViolation(CloseCode.DECODE_ERROR, "Payload needs an integer op");
        }
        JsonNode d = root.get("d");
        if (d == null) {
            if (dialect == Dialect.FLUXER) {
                throw new ProtocolViolation(CloseCode.DECODE_ERROR, "Payload needs a d field");
            }
            d = NullNode.getInstance();
        }
        return new ClientFrame(op.intValue(), d);
    }
}
