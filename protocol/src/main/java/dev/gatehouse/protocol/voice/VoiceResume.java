package dev.gatehouse.protocol.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Fields;

/**
 * Op 7 Resume {@code {server_id, session_id, token, seq_ack?}}.
 *
 * @param seqAck the last numbered message the client received (v8), or -1: then nothing is replayed
 */
public record VoiceResume(long serverId, String sessionId, String token, long seqAck) {

    public static VoiceResume parse(JsonNode d) throws VoiceViolation {
        return VoiceFrame.decoding(() -> {
            Fields.object(d, "Resume");
            return new VoiceResume(Fields.snowflake(d.get("server_id"), "server_id"), Fields.string(d, "session_id", 128),
                    Fields.string(d, "token", VoiceIdentify.MAX_TOKEN_LENGTH),
                    Fields.integer(d, "seq_ack", -1, Integer.MAX_VALUE, -1));
        });
    }

    public JsonNode data() {
        ObjectNode d = Json.mapper().createObjectNode().put("server_id", Long.toString(serverId))
                .put("session_id", sessionId).put("token", token);
        return seqAck >= 0 ? d.put("seq_ack", seqAck) : d;
    }
}
