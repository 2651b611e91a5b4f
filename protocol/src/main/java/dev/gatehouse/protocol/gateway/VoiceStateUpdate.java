package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;

/**
 * Op 4 Voice State Update {@code {guild_id, channel_id, self_mute, self_deaf}}: join or move to a
 * voice channel, or leave with {@code channel_id} null.
 */
public record VoiceStateUpdate(long guildId, Long channelId, boolean selfMute, boolean selfDeaf) implements GatewayPayload {

    public static VoiceStateUpdate join(long guildId, long channelId) {
        return new VoiceStateUpdate(guildId, channelId, false, false);
    }

    public static VoiceStateUpdate leave(long guildId) {
        return new VoiceStateUpdate(guildId, null, false, false);
    }

    public static VoiceStateUpdate parse(JsonNode d) throws ProtocolViolation {
        Fields.object(d, "Voice State Update");
        long guildId = Fields.snowflake(d.get("guild_id"), "guild_id");
        JsonNode channelNode = d.get("channel_id");
        Long channel = channelNode == null || channelNode.isNull() ? null : Fields.snowflake(channelNode, "channel_id");
        return new VoiceStateUpdate(guildId, channel, Fields.bool(d, "self_mute", false), Fields.bool(d, "self_deaf", false));
    }

    @Override
    public Opcode opcode() {
        return Opcode.VOICE_STATE_UPDATE;
    }

    @Override
    public JsonNode data() {
        ObjectNode d = Json.mapper().createObjectNode().put("guild_id", Long.toString(guildId));
        if (channelId == null) {
            d.putNull("channel_id");
        } else {
            d.put("channel_id", Long.toString(channelId));
        }
        return d.put("self_mute", selfMute).put("self_deaf", selfDeaf);
    }
}
