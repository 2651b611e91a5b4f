package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Op 3 Presence Update {@code {since, activities, status, afk}}, also Identify's {@code presence}.
 * Activities are kept to the fields others see, bounded in count and length.
 */
public record PresenceUpdate(String status, List<Activity> activities, boolean afk) implements GatewayPayload {

    public static final Set<String> STATUSES = Set.of("online", "dnd", "idle", "invisible", "offline");
    public static final int MAX_ACTIVITIES = 8;

    public static final PresenceUpdate ONLINE = new PresenceUpdate("online", List.of(), false);

    public PresenceUpdate {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES + ": " + status);
        }
        activities = List.copyOf(activities);
    }

    public static PresenceUpdate parse(JsonNode d) throws ProtocolViolation {
        Fields.object(d, "Presence Update");
        JsonNode statusNode = d.get("status");
        String status = statusNode == null || statusNode.isNull() ? "online" : Fields.string(d, "status", 16);
        if (!STATUSES.contains(status)) {
            throw Fields.decode("status must be one of online, dnd, idle, invisible, offline");
        }
        Fields.integer(d, "since", 0, Long.MAX_VALUE, 0);
        boolean afk = Fields.bool(d, "afk", false);
        List<Activity> activities = new ArrayList<>();
        JsonNode list = d.get("activities");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw Fields.decode("activities must be an array");
            }
            if (list.size() > MAX_ACTIVITIES) {
                throw Fields.decode("at most " + MAX_ACTIVITIES + " activities");
            }
            for (JsonNode a : list) {
                activities.add(Activity.parse(a));
            }
        }
        return new PresenceUpdate(status, activities, afk);
    }

    /** What others see: invisible looks offline. */
    public String visibleStatus() {
        return status.equals("invisible") ? "offline" : status;
    }

    @Override
    public Opcode opcode() {
        return Opcode.PRESENCE_UPDATE;
    }

    @Override
    public JsonNode data() {
        ObjectNode d = Json.mapper().createObjectNode();
        d.putNull("since");
        ArrayNode list = d.putArray("activities");
        activities.forEach(a -> list.add(Json.mapper().<JsonNode>valueToTree(a)));
        return d.put("status", status).put("afk", afk);
    }
}
