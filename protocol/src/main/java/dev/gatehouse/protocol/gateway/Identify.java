package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Op 2 Identify, checked for shape (4002), shard (4010) and, in the discord dialect, intents
 * (4013). Whether the token is good and the intents allowed (4004, 4014) needs the store and is
 * decided after.
 *
 * <p>The client SDK builds its identify from the same type ({@link #of}), so what it sends is what
 * the server reads.
 *
 * @param intents discord: the requested bitmask; fluxer: -1 (everything, filtered by name instead)
 * @param presence the initial presence, or null (online)
 * @param ignoredEvents fluxer: dispatch names the session does not want
 * @param flags fluxer: identify flags (0x2 debounces reactions)
 */
public record Identify(
        String token,
        String os,
        String browser,
        String device,
        boolean compress,
        int largeThreshold,
        int shardId,
        int shardCount,
        PresenceUpdate presence,
        long intents,
        Set<String> ignoredEvents,
        int flags) implements GatewayPayload {

    public static final int DEFAULT_LARGE_THRESHOLD = 50;
    public static final int MAX_IGNORED_EVENTS = 256;
    public static final int MAX_TOKEN_LENGTH = 512;

    public Identify {
        ignoredEvents = Set.copyOf(ignoredEvents);
    }

    /**
     * What a client sends: its token and, in the discord dialect, its intents (fluxer has none:
     * pass -1); one shard, no presence.
     */
    public static Identify of(String token, long intents, String os, String browser) {
        return new Identify(token, os, browser, browser, false, DEFAULT_LARGE_THRESHOLD, 0, 1, null, intents, Set.of(), 0);
    }

    public Identify withShard(int id, int count) {
        return new Identify(token, os, browser, device, compress, largeThreshold, id, count, presence, intents,
                ignoredEvents, flags);
    }

    public Identify withPresence(PresenceUpdate initial) {
        return new Identify(token, os, browser, device, compress, largeThreshold, shardId, shardCount, initial, intents,
                ignoredEvents, flags);
    }

    @Override
    public Opcode opcode() {
        return Opcode.IDENTIFY;
    }

    @Override
    public JsonNode data() {
        ObjectNode d = Json.mapper().createObjectNode().put("token", token);
        ObjectNode properties = d.putObject("properties");
        putText(properties, "os", os);
        putText(properties, "browser", browser);
        putText(properties, "device", device);
        if (compress) {
            d.put("compress", true);
        }
        d.put("large_threshold", largeThreshold);
        d.putArray("shard").add(shardId).add(shardCount);
        if (presence != null) {
            d.set("presence", presence.data());
        }
        if (intents >= 0) {
            d.put("intents", intents);
        }
        if (!ignoredEvents.isEmpty()) {
            ArrayNode names = d.putArray("ignored_events");
            ignoredEvents.forEach(names::add);
        }
        if (flags != 0) {
            d.put("flags", flags);
        }
        return d;
    }

    private static void putText(ObjectNode parent, String field, String value) {
        if (value != null) {
            parent.put(field, value);
        }
    }

    public static Identify parse(JsonNode d, Dialect dialect, long knownIntents) throws ProtocolViolation {
        Fields.object(d, "Identify");
        String token = Fields.string(d, "token", MAX_TOKEN_LENGTH);
        String os = null;
        String browser = null;
        String device = null;
        JsonNode properties = d.get("properties");
        if (properties != null && !properties.isNull()) {
            Fields.object(properties, "properties");
            os = optionalText(properties, "os");
            browser = optionalText(properties, "browser");
            device = optionalText(properties, "device");
        }
        // Only true asks for per-payload zlib. Anything else counts as false, as on Discord: some
        // libraries (Oceanic.js) send their transport compression's name here.
        boolean compress = d.path("compress").isBoolean() && d.get("compress").booleanValue();
        int largeThreshold = (int) Fields.integer(d, "large_threshold", 50, 250, DEFAULT_LARGE_THRESHOLD);
        int shardId = 0;
        int shardCount = 1;
        JsonNode shard = d.get("shard");
        if (shard != null && !shard.isNull()) {
            if (!shard.isArray() || shard.size() != 2 || !shard.get(0).canConvertToInt() || !shard.get(1).canConvertToInt()
                    || !shard.get(0).isIntegralNumber() || !shard.get(1).isIntegralNumber()) {
                throw Fields.decode("shard must be [shard_id, num_shards]");
            }
            shardId = shard.get(0).intValue();
            shardCount = shard.get(1).intValue();
            if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
                throw new ProtocolViolation(CloseCode.INVALID_SHARD, "Invalid shard [" + shardId + ", " + shardCount + "]");
            }
        }
        JsonNode presenceNode = d.get("presence");
        if (presenceNode != null && !presenceNode.isNull()) {
            Fields.object(presenceNode, "presence");
        }
        long intents = -1;
        Set<String> ignored = Set.of();
        int flags = 0;
        if (dialect == Dialect.DISCORD) {
            JsonNode v = d.get("intents");
            if (v == null || v.isNull()) {
                throw new ProtocolViolation(CloseCode.CODE_4013, "Intents are required");
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new ProtocolViolation(CloseCode.CODE_4013, "Intents must be a non-negative integer");
            }
            intents = v.longValue();
            long unknown = intents & ~knownIntents;
            if (unknown != 0) {
                throw new ProtocolViolation(CloseCode.CODE_4013, "Unknown intent bits: " + unknown);
            }
        } else {
            ignored = ignoredEvents(d.get("ignored_events"));
            flags = (int) Fields.integer(d, "flags", 0, Integer.MAX_VALUE, 0);
        }
        // what the presence holds is checked last, as the server always has: a bad presence never hides a 4013
        PresenceUpdate presence = null;
        if (presenceNode != null && !presenceNode.isNull()) {
            try {
                presence = PresenceUpdate.parse(presenceNode);
            } catch (ProtocolViolation v) {
                throw Fields.decode("Invalid presence: " + v.reason());
            }
        }
        return new Identify(token, os, browser, device, compress, largeThreshold, shardId, shardCount, presence, intents,
                ignored, flags);
    }

    private static String optionalText(JsonNode parent, String field) throws ProtocolViolation {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw Fields.decode("properties." + field + " must be a string");
        }
        return v.textValue();
    }

    private static Set<String> ignoredEvents(JsonNode v) throws ProtocolViolation {
        if (v == null || v.isNull()) {
            return Set.of();
        }
        if (!v.isArray()) {
            throw Fields.decode("ignored_events must be an array of event names");
        }
        if (v.size() > MAX_IGNORED_EVENTS) {
            throw Fields.decode("ignored_events holds more than " + MAX_IGNORED_EVENTS + " names");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode n : v) {
            if (!n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > 64) {
                throw Fields.decode("ignored_events must hold event names");
            }
            names.add(n.textValue());
        }
        return names;
    }
}
