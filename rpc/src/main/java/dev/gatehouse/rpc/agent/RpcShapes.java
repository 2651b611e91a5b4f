package dev.gatehouse.rpc.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/** The RPC protocol's shapes of what the server's API and gateway say. */
final class RpcShapes {

    private RpcShapes() {}

    /** {@code {id, name, icon_url}}. */
    static ObjectNode partialGuild(JsonNode g) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", g.path("id").asText());
        out.put("name", g.path("name").asText());
        out.set("icon_url", iconUrl(g));
        return out;
    }

    /** GET_GUILD: the partial guild with {@code members} (always empty, as Discord has made it) and the vanity code. */
    static ObjectNode guild(JsonNode g) {
        ObjectNode out = partialGuild(g);
        out.putArray("members");
        out.putNull("vanity_url_code");
        return out;
    }

    /** {@code {id, name, type}}. */
    static ObjectNode partialChannel(JsonNode c) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", c.path("id").asText());
        out.put("name", c.path("name").asText(""));
        out.put("type", c.path("type").asInt());
        return out;
    }

    /** GET_CHANNEL: the channel, who is in it (voice) and its latest messages (text), oldest first. */
    static ObjectNode channel(JsonNode c, Collection<ObjectNode> voiceStates, JsonNode messagesNewestFirst) {
        ObjectNode out = partialChannel(c);
        out.set("guild_id", c.hasNonNull("guild_id") ? c.get("guild_id") : JsonNodeFactory.instance.nullNode());
        out.set("topic", c.hasNonNull("topic") ? c.get("topic") : JsonNodeFactory.instance.textNode(""));
        out.put("bitrate", c.path("bitrate").asInt(0));
        out.put("user_limit", c.path("user_limit").asInt(0));
        out.put("position", c.path("position").asInt(0));
        ArrayNode states = out.putArray("voice_states");
        voiceStates.forEach(states::add);
        ArrayNode messages = out.putArray("messages");
        for (int i = messagesNewestFirst.size() - 1; i >= 0; i--) {
            messages.add(messagesNewestFirst.get(i));
        }
        return out;
    }

    /**
     * The RPC voice state of a gateway VOICE_STATE_UPDATE: {@code {voice_state: {mute, deaf,
     * self_mute, self_deaf, suppress}, user, nick, volume, mute, pan}}; the last three are the
     * person's local settings for that user, which the agent does not change.
     */
    static ObjectNode voiceState(JsonNode d) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode vs = out.putObject("voice_state");
        for (String f : new String[] {"mute", "deaf", "self_mute", "self_deaf", "suppress"}) {
            vs.put(f, d.path(f).asBoolean(false));
        }
        JsonNode member = d.path("member");
        JsonNode user = member.path("user");
        ObjectNode u = out.putObject("user");
        u.put("id", d.path("user_id").asText(user.path("id").asText()));
        u.put("username", user.path("username").asText(""));
        u.put("discriminator", user.path("discriminator").asText("0"));
        u.set("global_name", user.hasNonNull("global_name") ? user.get("global_name") : JsonNodeFactory.instance.nullNode());
        u.set("avatar", user.hasNonNull("avatar") ? user.get("avatar") : JsonNodeFactory.instance.nullNode());
        u.put("bot", user.path("bot").asBoolean(false));
        out.set("nick", member.hasNonNull("nick") ? member.get("nick") : JsonNodeFactory.instance.nullNode());
        out.put("volume", 100);
        out.put("mute", false);
        ObjectNode pan = out.putObject("pan");
        pan.put("left", 1.0);
        pan.put("right", 1.0);
        return out;
    }

    /** No media storage on the server yet, so no icon URL either. */
    private static JsonNode iconUrl(JsonNode g) {
        return JsonNodeFactory.instance.nullNode();
    }
}
