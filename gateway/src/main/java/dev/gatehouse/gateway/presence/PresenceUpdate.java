package dev.gatehouse.gateway.presence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.gateway.session.Fields;
import dev.gatehouse.gateway.session.ProtocolViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Op 3 Presence Update {@code {since, activities, status, afk}}, also Identify's {@code presence}.
 * Activities are kept to the fields others see, bounded in count and length.
 */
public record PresenceUpdate(String status, List<Map<String, Object>> activities, boolean afk) {

    public static final Set<String> STATUSES = Set.of("online", "dnd", "idle", "invisible", "offline");
    public static final int MAX_ACTIVITIES = 8;

    public static final PresenceUpdate ONLINE = new PresenceUpdate("online", List.of(), false);

    public static PresenceUpdate parse(JsonNode d) throws ProtocolViolation {
        Fields.object(d, "Presence Update");
        JsonNode statusNode = d.get("status");
        String status = statusNode == null || statusNode.isNull() ? "online" : Fields.string(d, "status", 16);
        if (!STATUSES.contains(status)) {
            throw Fields.decode("status must be one of online, dnd, idle, invisible, offline");
        }
        Fields.integer(d, "since", 0, Long.MAX_VALUE, 0);
        boolean afk = Fields.bool(d, "afk", false);
        List<Map<String, Object>> activities = new ArrayList<>();
        JsonNode list = d.get("activities");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw Fields.decode("activities must be an array");
            }
            if (list.size() > MAX_ACTIVITIES) {
                throw Fields.decode("at most " + MAX_ACTIVITIES + " activities");
            }
            for (JsonNode a : list) {
                Fields.object(a, "activity");
                Map<String, Object> activity = new LinkedHashMap<>();
                activity.put("name", Fields.string(a, "name", 128));
                activity.put("type", (int) Fields.integer(a, "type", 0, 6, 0));
                optionalText(a, "state", activity);
                optionalText(a, "url", activity);
                activities.add(activity);
            }
        }
        return new PresenceUpdate(status, List.copyOf(activities), afk);
    }

    private static void optionalText(JsonNode a, String field, Map<String, Object> out) throws ProtocolViolation {
        JsonNode v = a.get(field);
        if (v != null && !v.isNull()) {
            out.put(field, Fields.string(a, field, 512));
        }
    }

    /** What others see: invisible looks offline. */
    public String visibleStatus() {
        return status.equals("invisible") ? "offline" : status;
    }
}
