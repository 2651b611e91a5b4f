package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.etf.Etf;
import dev.gatehouse.protocol.etf.EtfException;
import java.io.IOException;

/**
 * One gateway frame, the envelope {@code {"op","d","s","t"}} of every payload.
 *
 * @param op the opcode's number (kept as sent: an unknown one is the receiver's decision)
 * @param d the payload; {@code null} JSON when absent
 * @param seq a dispatch's sequence number; 0 for other frames
 * @param type a dispatch's event name; null for other frames
 */
public record GatewayFrame(int op, JsonNode d, long seq, String type) {

    public GatewayFrame {
        d = d == null ? NullNode.getInstance() : d;
    }

    /** The opcode, or null when the number is not one. */
    public Opcode opcode() {
        return Opcode.of(op);
    }

    /**
     * A frame from a client, from its bytes in the connection's encoding; the size limit applies to
     * what came over the wire. Everything wrong with it is a 4002; fluxer also requires {@code d}.
     */
    public static GatewayFrame decode(byte[] payload, Encoding encoding, Dialect dialect, int maxBytes)
            throws ProtocolViolation {
        if (payload.length > maxBytes) {
            throw Fields.decode("Payload too large: " + payload.length + " bytes, limit " + maxBytes);
        }
        JsonNode root;
        if (encoding == Encoding.ETF) {
            try {
                root = Etf.decode(payload);
            } catch (EtfException e) {
                throw Fields.decode("Invalid ETF: " + e.getMessage());
            }
        } else {
            try {
                root = Json.mapper().readTree(payload);
            } catch (IOException | RuntimeException e) {
                // malformed text, bad UTF-8, nesting beyond Jackson's depth limit: all the sender's fault
                throw Fields.decode("Invalid JSON");
            }
        }
        GatewayFrame frame = of(root);
        if (dialect == Dialect.FLUXER && !root.has("d")) {
            throw Fields.decode("Payload needs a d field");
        }
        return frame;
    }

    /** A frame from its decoded tree: an object with an integer {@code op}; {@code s} and {@code t} when a dispatch. */
    public static GatewayFrame of(JsonNode root) throws ProtocolViolation {
        if (root == null || !root.isObject()) {
            throw Fields.decode("Payload must be an object");
        }
        JsonNode op = root.get("op");
        if (op == null || !op.isIntegralNumber() || !op.canConvertToInt()) {
            throw Fields.decode("Payload needs an integer op");
        }
        JsonNode s = root.get("s");
        JsonNode t = root.get("t");
        return new GatewayFrame(op.intValue(), root.get("d"), s != null && s.canConvertToLong() ? s.longValue() : 0,
                t != null && t.isTextual() ? t.textValue() : null);
    }

    /** The frame as a tree: {@code op} and {@code d}, and {@code s}/{@code t} when it is a dispatch. */
    public ObjectNode toJson() {
        ObjectNode frame = Json.mapper().createObjectNode().put("op", op);
        frame.set("d", d);
        if (type != null) {
            frame.put("s", seq).put("t", type);
        }
        return frame;
    }

    /** The server's form, as Discord sends it: {@code s} and {@code t} always present, null outside dispatches. */
    public String toServerJson() {
        ObjectNode frame = toJson();
        if (type == null) {
            frame.putNull("s");
            frame.putNull("t");
        }
        return frame.toString();
    }
}
