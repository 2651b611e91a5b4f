package dev.gatehouse.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.etf.Etf;
import dev.gatehouse.protocol.etf.EtfException;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Encoding;
import java.io.IOException;

/** One frame a client sent: {@code {"op":int,"d":any}} in JSON or ETF, parsed and checked for shape (4002). */
public record ClientFrame(int op, JsonNode d) {

    public static ClientFrame parse(byte[] utf8, Dialect dialect, int maxBytes) throws ProtocolViolation {
        return parse(utf8, Encoding.JSON, dialect, maxBytes);
    }

    /** The frame's bytes in the connection's encoding; the size limit applies to what came over the wire. */
    public static ClientFrame parse(byte[] payload, Encoding encoding, Dialect dialect, int maxBytes) throws ProtocolViolation {
        if (payload.length > maxBytes) {
            throw new ProtocolViolation(CloseCode.DECODE_ERROR, "Payload too large: " + payload.length + " bytes, limit " + maxBytes);
        }
        JsonNode root;
        if (encoding == Encoding.ETF) {
            try {
                root = Etf.decode(payload);
            } catch (EtfException e) {
                throw new ProtocolViolation(CloseCode.DECODE_ERROR, "Invalid ETF: " + e.getMessage());
            }
        } else {
            try {
                root = Json.mapper().readTree(payload);
            } catch (IOException | RuntimeException e) {
                // malformed text, bad UTF-8, nesting beyond Jackson's depth limit: all the client's fault
                throw new ProtocolViolation(CloseCode.DECODE_ERROR, "Invalid JSON");
            }
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolViolation(CloseCode.DECODE_ERROR, "Payload must be an object");
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
