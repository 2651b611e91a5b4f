package dev.gatehouse.protocol.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Fields;

/**
 * Op 3 Heartbeat in either style: a bare nonce (v4 to v7) or {@code {t, seq_ack}} (v8). The server's
 * op 6 echoes {@code d} as it came, whichever the style: libraries match the ack to their nonce.
 *
 * @param seqAck the v8 acknowledgement, or -1
 */
public record VoiceHeartbeat(JsonNode d, long seqAck) {

    public static VoiceHeartbeat parse(JsonNode d) throws VoiceViolation {
        if (d != null && d.isIntegralNumber()) {
            return new VoiceHeartbeat(d, -1);
        }
        if (d != null && d.isObject()) {
            return VoiceFrame.decoding(() -> {
                JsonNode t = d.get("t");
                if (t != null && !t.isNumber()) {
                    throw Fields.decode("t must be a number");
                }
                return new VoiceHeartbeat(d, Fields.integer(d, "seq_ack", -1, Integer.MAX_VALUE, -1));
            });
        }
        throw new VoiceViolation(VoiceCloseCode.DECODE_FAILED, "Heartbeat must be a nonce or {t, seq_ack}");
    }

    /** A v4-style heartbeat. */
    public static VoiceHeartbeat nonce(long nonce) {
        return new VoiceHeartbeat(LongNode.valueOf(nonce), -1);
    }

    /** A v8-style heartbeat. */
    public static VoiceHeartbeat v8(long t, long seqAck) {
        return new VoiceHeartbeat(Json.mapper().createObjectNode().put("t", t).put("seq_ack", seqAck), seqAck);
    }
}
