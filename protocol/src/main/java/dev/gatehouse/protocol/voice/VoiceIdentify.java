package dev.gatehouse.protocol.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Fields;

/**
 * Op 0 Identify {@code {server_id, user_id, session_id, token, max_dave_protocol_version?}}: the
 * guild, the member, the main gateway session that joined, and the token of its
 * VOICE_SERVER_UPDATE.
 *
 * @param maxDaveVersion the highest DAVE version the client speaks; 0 when it does not say
 */
public record VoiceIdentify(long serverId, long userId, String sessionId, String token, int maxDaveVersion) {

    public static final int MAX_TOKEN_LENGTH = 128;

    public static VoiceIdentify parse(JsonNode d) throws VoiceViolation {
        return VoiceFrame.decoding(() -> {
            Fields.object(d, "Identify");
            return new VoiceIdentify(Fields.snowflake(d.get("server_id"), "server_id"),
                    Fields.snowflake(d.get("user_id"), "user_id"), Fields.string(d, "session_id", 128),
                    Fields.string(d, "token", MAX_TOKEN_LENGTH),
                    (int) Fields.integer(d, "max_dave_protocol_version", 0, 255, 0));
        });
    }

    public JsonNode data() {
        ObjectNode d = Json.mapper().createObjectNode().put("server_id", Long.toString(serverId))
                .put("user_id", Long.toString(userId)).put("session_id", sessionId).put("token", token);
        return d.put("max_dave_protocol_version", maxDaveVersion);
    }
}
