package dev.gatehouse.gateway.lazy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.gateway.Fields;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Op 14 Lazy Request (fluxer): {@code {guild_id, channels: {"<channel id>": [[0, 99], ...]},
 * typing?, activities?, threads?}}. A client subscribes to index ranges of a channel's member
 * list; bounded: at most 10 channels, 5 ranges each, each at most 100 rows.
 */
public record LazyRequest(long guildId, Map<Long, List<Range>> channels, boolean typing, boolean activities) {

    public static final int MAX_CHANNELS = 10;
    public static final int MAX_RANGES = 5;
    public static final int MAX_RANGE_ROWS = 100;

    /** Rows {@code from..to}, both inclusive. */
    public record Range(int from, int to) {
        public boolean contains(int index) {
            return index >= from && index <= to;
        }
    }

    public static LazyRequest parse(JsonNode d) throws ProtocolViolation {
        Fields.object(d, "Lazy Request");
        long guildId = Fields.snowflake(d.get("guild_id"), "guild_id");
        Map<Long, List<Range>> channels = new LinkedHashMap<>();
        JsonNode channelsNode = d.get("channels");
        if (channelsNode != null && !channelsNode.isNull()) {
            if (!channelsNode.isObject()) {
                throw Fields.decode("channels must map channel ids to ranges");
            }
            if (channelsNode.size() > MAX_CHANNELS) {
                throw Fields.decode("at most " + MAX_CHANNELS + " channels per request");
            }
            for (Map.Entry<String, JsonNode> e : channelsNode.properties()) {
                long channelId;
                try {
                    channelId = Long.parseLong(e.getKey());
                } catch (NumberFormatException ex) {
                    throw Fields.decode("channels keys must be channel ids");
                }
                if (channelId <= 0) {
                    throw Fields.decode("channels keys must be channel ids");
                }
                channels.put(channelId, ranges(e.getValue()));
            }
        }
        return new LazyRequest(guildId, channels, Fields.bool(d, "typing", false), Fields.bool(d, "activities", false));
    }

    private static List<Range> ranges(JsonNode node) throws ProtocolViolation {
        if (!node.isArray() || node.size() > MAX_RANGES) {
            throw Fields.decode("a channel takes at most " + MAX_RANGES + " ranges");
        }
        List<Range> ranges = new ArrayList<>();
        for (JsonNode r : node) {
            if (!r.isArray() || r.size() != 2 || !r.get(0).isInt() || !r.get(1).isInt()) {
                throw Fields.decode("a range is [first, last]");
            }
            int from = r.get(0).intValue();
            int to = r.get(1).intValue();
            if (from < 0 || to < from || to - from >= MAX_RANGE_ROWS) {
                throw Fields.decode("a range is [first, last] with 0 <= first <= last < first + " + MAX_RANGE_ROWS);
            }
            ranges.add(new Range(from, to));
        }
        return List.copyOf(ranges);
    }
}
