package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;

/** Op 6 Resume {@code {token, session_id, seq}}, checked for shape (4002). */
public record Resume(String token, String sessionId, long seq) implements GatewayPayload {

    public static Resume parse(JsonNode d) throws ProtocolViolation {
        Fields.object(d, "Resume");
        String token = Fields.string(d, "token", Identify.MAX_TOKEN_LENGTH);
        String sessionId = Fields.string(d, "session_id", 128);
        JsonNode seq = d.get("seq");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0) {
            throw Fields.decode("seq must be a non-negative integer");
        }
        return new Resume(token, sessionId, seq.longValue());
    }

    @Override
    public Opcode opcode() {
        return Opcode.RESUME;
    }

    @Override
    public JsonNode data() {
        return Json.mapper().createObjectNode().put("token", token).put("session_id", sessionId).put("seq", seq);
    }
}
