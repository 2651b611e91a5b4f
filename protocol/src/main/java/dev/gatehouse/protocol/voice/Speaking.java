package dev.gatehouse.protocol.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Fields;

/**
 * Op 5 Speaking. From a client {@code {speaking, delay, ssrc}}; the server relays it to the others in
 * the channel with the sender's {@code user_id}, which is how receivers map an SSRC to a member.
 *
 * @param speaking the flags: 1 microphone, 2 soundshare, 4 priority
 * @param userId the speaker, set by the server (0 in a client's message)
 */
public record Speaking(int speaking, int delay, long ssrc, long userId) {

    public static final int MICROPHONE = 1;

    public static Speaking parse(JsonNode d) throws VoiceViolation {
        return VoiceFrame.decoding(() -> {
            Fields.object(d, "Speaking");
            JsonNode flags = d.get("speaking");
            // v4 era clients sent a boolean
            int speaking = flags != null && flags.isBoolean() ? (flags.booleanValue() ? MICROPHONE : 0)
                    : (int) Fields.integer(d, "speaking", 0, 7, 0);
            return new Speaking(speaking, (int) Fields.integer(d, "delay", 0, 60_000, 0),
                    Fields.integer(d, "ssrc", 0, 0xFFFF_FFFFL, 0), 0);
        });
    }

    public Speaking from(long user) {
        return new Speaking(speaking, delay, ssrc, user);
    }

    public JsonNode data() {
        ObjectNode d = Json.mapper().createObjectNode().put("speaking", speaking).put("ssrc", ssrc);
        if (userId != 0) {
            d.put("user_id", Long.toString(userId));
        } else {
            d.put("delay", delay);
        }
        return d;
    }
}
