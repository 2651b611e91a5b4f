package dev.gatehouse.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Op 2 Identify, checked for shape (4002), shard (4010) and, in the discord dialect, intents
 * (4013). Whether the token is good and the intents allowed (4004, 4014) needs the store and is
 * decided after.
 *
 * @param intents discord: the requested bitmask; fluxer: -1 (everything, filtered by name instead)
 * @param presence the initial presence object, or null
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
        JsonNode presence,
        long intents,
        Set<String> ignoredEvents,
        int flags) {

    public static final int DEFAULT_LARGE_THRESHOLD = 50;
    public static final int MAX_IGNORED_EVENTS = 256;

    public static Identify parse(JsonNode d, Dialect dialect, long knownIntents) throws ProtocolViolation {
        Fields.object(d, "Identify");
        String token = Fields.string(d, "token", 512);
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
        JsonNode presence = d.get("presence");
        if (presence != null && presence.isNull()) {
            presence = null;
        }
        if (presence != null) {
            Fields.object(presence, "presence");
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
