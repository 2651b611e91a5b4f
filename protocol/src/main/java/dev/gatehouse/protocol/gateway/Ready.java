package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import java.util.List;

/**
 * The READY dispatch's body: the session, the user, and the guilds as unavailable stubs (their
 * GUILD_CREATEs follow). Serialised with the project's JSON convention ({@link Json}: ids as
 * strings, snake_case), and read back the same way by the client SDK.
 *
 * @param v the gateway version of the dialect (discord 10, fluxer 1)
 * @param user the identified user, as its own object
 * @param shard {@code [shard_id, num_shards]}, present only when the session is sharded
 * @param application the bot's application {@code {id, flags}}; absent for people
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ready(int v, JsonNode user, List<UnavailableGuild> guilds, String sessionId, String resumeGatewayUrl,
        String sessionType, List<JsonNode> privateChannels, List<JsonNode> relationships, List<JsonNode> presences,
        List<Integer> shard, PartialApplication application) {

    /** A guild the session is in, before its GUILD_CREATE. */
    public record UnavailableGuild(long id, boolean unavailable) {
        public static UnavailableGuild of(long id) {
            return new UnavailableGuild(id, true);
        }
    }

    public record PartialApplication(long id, int flags) {}

    public Ready {
        guilds = guilds == null ? List.of() : List.copyOf(guilds);
        privateChannels = privateChannels == null ? List.of() : List.copyOf(privateChannels);
        relationships = relationships == null ? List.of() : List.copyOf(relationships);
        presences = presences == null ? List.of() : List.copyOf(presences);
        shard = shard == null ? null : List.copyOf(shard);
    }

    /** A new session's READY as the server sends it; {@code shard} only for a sharded session. */
    public static Ready of(Dialect dialect, JsonNode user, List<Long> guildIds, String sessionId, String resumeGatewayUrl,
            int shardId, int shardCount, PartialApplication application) {
        List<UnavailableGuild> guilds = guildIds.stream().map(UnavailableGuild::of).toList();
        List<Integer> shard = shardCount > 1 || shardId != 0 ? List.of(shardId, shardCount) : null;
        return new Ready(dialect == Dialect.FLUXER ? 1 : 10, user, guilds, sessionId, resumeGatewayUrl, "normal",
                List.of(), List.of(), List.of(), shard, application);
    }

    /** A READY body; 4002 when it is not one (no session id). */
    public static Ready parse(JsonNode d) throws ProtocolViolation {
        Fields.object(d, "READY");
        Fields.string(d, "session_id", 128);
        try {
            return Json.mapper().treeToValue(d, Ready.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw Fields.decode("Invalid READY: " + e.getMessage());
        }
    }

    public byte[] toBytes() {
        return Json.bytes(this);
    }
}
