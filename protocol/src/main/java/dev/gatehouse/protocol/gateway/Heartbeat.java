package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * Op 1 Heartbeat: the last sequence number the client received, or none before its first dispatch.
 * The server sends it too, with no payload, to ask for a heartbeat at once.
 *
 * @param lastSeq the seq, or -1 for none ({@code null} on the wire)
 */
public record Heartbeat(long lastSeq) implements GatewayPayload {

    /** A heartbeat before any dispatch, or the server's request for one. */
    public static final Heartbeat NONE = new Heartbeat(-1);

    public Heartbeat {
        if (lastSeq < -1) {
            throw new IllegalArgumentException("seq must be -1 (none) or more: " + lastSeq);
        }
    }

    /** A client's heartbeat; a seq that is not a non-negative integer is the protocol's 4007. */
    public static Heartbeat parse(JsonNode d) throws ProtocolViolation {
        if (d == null || d.isNull()) {
            return NONE;
        }
        if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
            String shown = d.toString();
            throw new ProtocolViolation(CloseCode.INVALID_SEQ,
                    "Invalid heartbeat seq: " + (shown.length() > 32 ? shown.substring(0, 32) + "..." : shown));
        }
        return new Heartbeat(d.longValue());
    }

    public boolean hasSeq() {
        return lastSeq >= 0;
    }

    @Override
    public Opcode opcode() {
        return Opcode.HEARTBEAT;
    }

    @Override
    public JsonNode data() {
        return hasSeq() ? LongNode.valueOf(lastSeq) : NullNode.getInstance();
    }
}
