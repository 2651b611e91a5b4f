package dev.gatehouse.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.core.view.UserView;
import java.util.Map;

/**
 * Reads the few fields of an event's payload that routing needs, whatever form the payload has:
 * the record or map a service built, or the JSON tree of an event read back from the log (where
 * snowflakes are strings).
 */
public final class EventData {

    private EventData() {}

    /** The payload's {@code id}; null when it has none. */
    public static Long id(Object data) {
        if (data instanceof JsonNode node) {
            return snowflake(node.get("id"));
        }
        if (data instanceof Map<?, ?> map) {
            return snowflake(map.get("id"));
        }
        return null;
    }

    /** The id of the payload's {@code user} (members, member removals, bans); null when it has none. */
    public static Long userId(Object data) {
        if (data instanceof MemberView m) {
            return m.user() == null ? null : m.user().id();
        }
        if (data instanceof Map<?, ?> map && map.get("user") instanceof UserView u) {
            return u.id();
        }
        if (data instanceof JsonNode node && node.get("user") != null) {
            return snowflake(node.get("user").get("id"));
        }
        return null;
    }

    private static Long snowflake(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof JsonNode node) {
            if (node.isIntegralNumber()) {
                return node.longValue();
            }
            return node.isTextual() ? parse(node.textValue()) : null;
        }
        return value == null ? null : parse(value.toString());
    }

    private static Long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
