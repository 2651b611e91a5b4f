package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Op 8 Request Guild Members: one guild, and either a name prefix ({@code query} with
 * {@code limit}; "" with limit 0 asks for everyone) or up to 100 {@code user_ids}. As on Discord, a
 * nonce longer than 32 bytes is dropped rather than refused.
 */
public record RequestGuildMembers(long guildId, String query, int limit, List<Long> userIds, boolean presences, String nonce)
        implements GatewayPayload {

    public static final int MAX_USER_IDS = 100;
    public static final int MAX_QUERY_RESULTS = 100;
    public static final int MAX_NONCE_BYTES = 32;

    public static RequestGuildMembers parse(JsonNode d) throws ProtocolViolation {
        Fields.object(d, "Request Guild Members");
        long guildId = Fields.snowflake(d.get("guild_id"), "guild_id");
        JsonNode queryNode = d.get("query");
        JsonNode idsNode = d.get("user_ids");
        boolean hasQuery = queryNode != null && !queryNode.isNull();
        boolean hasIds = idsNode != null && !idsNode.isNull();
        if (hasQuery == hasIds) {
            throw Fields.decode("Request Guild Members needs either query or user_ids");
        }
        String query = hasQuery ? Fields.string(d, "query", 100) : null;
        int limit = (int) Fields.integer(d, "limit", 0, Integer.MAX_VALUE, 0);
        List<Long> userIds = hasIds ? userIds(idsNode) : List.of();
        boolean presences = Fields.bool(d, "presences", false);
        String nonce = null;
        JsonNode nonceNode = d.get("nonce");
        if (nonceNode != null && !nonceNode.isNull()) {
            if (!nonceNode.isTextual()) {
                throw Fields.decode("nonce must be a string");
            }
            if (nonceNode.textValue().getBytes(StandardCharsets.UTF_8).length <= MAX_NONCE_BYTES) {
                nonce = nonceNode.textValue();
            }
        }
        return new RequestGuildMembers(guildId, query, limit, userIds, presences, nonce);
    }

    /** Every member (needs GUILD_MEMBERS in the discord dialect). */
    public static RequestGuildMembers everyone(long guildId, String nonce) {
        return new RequestGuildMembers(guildId, "", 0, List.of(), false, nonce);
    }

    /** Up to {@code limit} members whose name starts with {@code prefix}. */
    public static RequestGuildMembers byName(long guildId, String prefix, int limit, String nonce) {
        return new RequestGuildMembers(guildId, prefix, limit, List.of(), false, nonce);
    }

    /** The given members (up to 100); those who are not members come back as {@code not_found}. */
    public static RequestGuildMembers byId(long guildId, List<Long> userIds, String nonce) {
        return new RequestGuildMembers(guildId, null, 0, List.copyOf(userIds), false, nonce);
    }

    /** The same request asking for the members' presences too. */
    public RequestGuildMembers withPresences() {
        return new RequestGuildMembers(guildId, query, limit, userIds, true, nonce);
    }

    @Override
    public Opcode opcode() {
        return Opcode.REQUEST_GUILD_MEMBERS;
    }

    @Override
    public JsonNode data() {
        ObjectNode d = Json.mapper().createObjectNode().put("guild_id", Long.toString(guildId));
        if (query != null) {
            d.put("query", query).put("limit", limit);
        } else {
            ArrayNode ids = d.putArray("user_ids");
            userIds.forEach(id -> ids.add(Long.toString(id)));
        }
        d.put("presences", presences);
        if (nonce != null) {
            d.put("nonce", nonce);
        }
        return d;
    }

    /** Everyone: the empty query with limit 0 (needs GUILD_MEMBERS in the discord dialect). */
    public boolean wantsEveryone() {
        return query != null && query.isEmpty() && limit == 0;
    }

    private static List<Long> userIds(JsonNode node) throws ProtocolViolation {
        Set<Long> ids = new LinkedHashSet<>();
        if (node.isArray()) {
            if (node.size() > MAX_USER_IDS) {
                throw Fields.decode("user_ids holds more than " + MAX_USER_IDS + " ids");
            }
            for (JsonNode n : node) {
                ids.add(Fields.snowflake(n, "user_ids"));
            }
        } else {
            ids.add(Fields.snowflake(node, "user_ids"));
        }
        return new ArrayList<>(ids);
    }
}
