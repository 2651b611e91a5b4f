package dev.gatehouse.gateway.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.view.MessageView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import java.util.List;

/**
 * Discord's MESSAGE_CONTENT rule: a bot without the intent receives message events with
 * {@code content}, {@code embeds}, {@code attachments} and {@code components} empty, except for
 * its own messages, DMs and messages that mention it. The message a reply points to is emptied
 * the same way, since it carries content too. Payloads come as the service's record or, read
 * back from the event log, as JSON.
 */
public final class MessageContent {

    private MessageContent() {}

    public static boolean carriesContent(DispatchType type) {
        return type == DispatchType.MESSAGE_CREATE || type == DispatchType.MESSAGE_UPDATE;
    }

    /** Whether the recipient gets the full message even without the intent. */
    public static boolean fullContentFor(GatewayEvent event, long recipientUserId) {
        if (event.guildId() == null) {
            return true;
        }
        if (event.data() instanceof MessageView m) {
            if (m.author() != null && m.author().id() == recipientUserId) {
                return true;
            }
            for (UserView mentioned : m.mentions()) {
                if (mentioned.id() == recipientUserId) {
                    return true;
                }
            }
            return false;
        }
        if (event.data() instanceof JsonNode m) {
            String recipient = Long.toString(recipientUserId);
            if (recipient.equals(m.path("author").path("id").asText())) {
                return true;
            }
            for (JsonNode mentioned : m.path("mentions")) {
                if (recipient.equals(mentioned.path("id").asText())) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /** The payload as a bot without MESSAGE_CONTENT sees it; other payloads pass unchanged. */
    public static Object stripped(Object payload) {
        if (payload instanceof MessageView m) {
            return strip(m);
        }
        if (payload instanceof ObjectNode m) {
            return strip(m.deepCopy());
        }
        return payload;
    }

    private static MessageView strip(MessageView m) {
        return new MessageView(m.id(), m.type(), "", m.channelId(), m.author(), List.of(), "[]", m.mentions(),
                m.mentionRoles(), m.pinned(), m.mentionEveryone(), m.tts(), m.timestamp(), m.editedTimestamp(), m.flags(),
                List.of(), m.nonce(), m.reactions(), m.messageReference(),
                m.referencedMessage() == null ? null : strip(m.referencedMessage()), m.guildId(), m.member());
    }

    private static ObjectNode strip(ObjectNode m) {
        m.put("content", "");
        m.set("embeds", Json.mapper().createArrayNode());
        m.set("attachments", Json.mapper().createArrayNode());
        m.set("components", Json.mapper().createArrayNode());
        if (m.get("referenced_message") instanceof ObjectNode replied) {
            strip(replied);
        }
        return m;
    }
}
