package dev.gatehouse.gateway.session;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.gateway.presence.SessionPresence;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.PresenceUpdate;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a session needs to go on elsewhere (docs/ARCHITECTURE.md, "Cluster"): who it is, how far it
 * numbered, the dispatches the client has not acknowledged, and where in each followed stream of
 * the event log its dispatches stand, so the node that takes it over sends it exactly what came
 * after. Serialised as JSON with the dispatch bodies embedded as they are.
 *
 * @param firstReplayable seq of the first dispatch still replayable (resumes from before it fail)
 * @param positions per stream (a guild, or the user), the version the session has had everything up to
 * @param guilds the guilds the session follows (their GUILD_CREATE went out)
 * @param presence the presence the session set, which it keeps where it goes
 */
public record SessionState(String id, SessionIdentity identity, long seq, long firstReplayable, List<Dispatch> replay,
        Map<Long, Long> positions, Set<Long> guilds, SessionPresence presence) {

    /** One dispatch held for resume. */
    public record Dispatch(long seq, String type, byte[] body) {}

    public SessionState {
        replay = List.copyOf(replay);
        positions = Map.copyOf(positions);
        guilds = Set.copyOf(guilds);
        presence = presence == null ? SessionPresence.DEFAULT : presence;
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + replay.stream().mapToInt(d -> d.body().length + 48).sum());
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeObjectFieldStart("identity");
            g.writeStringField("user_id", Long.toString(identity.userId()));
            g.writeBooleanField("bot", identity.bot());
            g.writeStringField("dialect", identity.dialect().name());
            g.writeNumberField("intents", identity.intents());
            g.writeArrayFieldStart("ignored_events");
            for (String e : identity.ignoredEvents()) {
                g.writeString(e);
            }
            g.writeEndArray();
            g.writeNumberField("flags", identity.flags());
            g.writeNumberField("shard_id", identity.shardId());
            g.writeNumberField("shard_count", identity.shardCount());
            g.writeNumberField("large_threshold", identity.largeThreshold());
            g.writeEndObject();
            g.writeNumberField("seq", seq);
            g.writeNumberField("first_replayable", firstReplayable);
            g.writeArrayFieldStart("replay");
            for (Dispatch d : replay) {
                g.writeStartObject();
                g.writeNumberField("s", d.seq());
                g.writeStringField("t", d.type());
                g.writeFieldName("d");
                g.writeRawValue(new String(d.body(), StandardCharsets.UTF_8));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("positions");
            for (Map.Entry<Long, Long> p : positions.entrySet()) {
                g.writeNumberField(Long.toString(p.getKey()), p.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("guilds");
            for (long guild : guilds) {
                g.writeString(Long.toString(guild));
            }
            g.writeEndArray();
            g.writeFieldName("presence");
            g.writeTree(presence.update().data());
            g.writeStringField("platform", presence.platform());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads what {@link #toJson} wrote; IllegalArgumentException for anything else. */
    public static SessionState fromJson(byte[] json) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            JsonNode i = n.get("identity");
            Set<String> ignored = new HashSet<>();
            i.path("ignored_events").forEach(e -> ignored.add(e.asText()));
            SessionIdentity identity = new SessionIdentity(Long.parseLong(i.get("user_id").asText()), i.get("bot").asBoolean(),
                    Dialect.valueOf(i.get("dialect").asText()), i.get("intents").asLong(), ignored, i.get("flags").asInt(),
                    i.get("shard_id").asInt(), i.get("shard_count").asInt(), i.get("large_threshold").asInt());
            List<Dispatch> replay = new ArrayList<>();
            for (JsonNode d : n.get("replay")) {
                replay.add(new Dispatch(d.get("s").asLong(), d.get("t").asText(), Json.mapper().writeValueAsBytes(d.get("d"))));
            }
            Map<Long, Long> positions = new LinkedHashMap<>();
            n.get("positions").fields().forEachRemaining(p -> positions.put(Long.parseLong(p.getKey()), p.getValue().asLong()));
            Set<Long> guilds = new HashSet<>();
            n.get("guilds").forEach(g -> guilds.add(Long.parseLong(g.asText())));
            SessionPresence presence = n.hasNonNull("presence")
                    ? new SessionPresence(PresenceUpdate.parse(n.get("presence")), n.path("platform").asText("web"))
                    : SessionPresence.DEFAULT;
            return new SessionState(n.get("id").asText(), identity, n.get("seq").asLong(), n.get("first_replayable").asLong(),
                    replay, positions, guilds, presence);
        } catch (IOException | ProtocolViolation | RuntimeException e) {
            throw new IllegalArgumentException("not a session state", e);
        }
    }
}
