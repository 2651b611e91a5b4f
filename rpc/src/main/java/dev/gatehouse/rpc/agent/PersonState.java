package dev.gatehouse.rpc.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.client.gateway.GatewayListener;
import dev.gatehouse.rpc.protocol.RpcEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * What the person's gateway session says, kept for the RPC connections, and turned into their
 * events: who is in which voice channel (VOICE_STATE_CREATE/UPDATE/DELETE, and the person's own
 * VOICE_CHANNEL_SELECT), messages (MESSAGE_*, and NOTIFICATION_CREATE for DMs and mentions of the
 * person), guilds and channels joined or made (GUILD_CREATE, CHANNEL_CREATE), a guild's name and
 * how many of its members are online (GUILD_STATUS), and the end of an application's grant.
 * Called on the agent's thread, which is the gateway client's.
 */
final class PersonState implements GatewayListener {

    /** Longer than any SELECT_VOICE_CHANNEL waits (60 s at most). */
    static final long MOVE_PATIENCE_SECONDS = 90;

    private RpcHub hub;
    private final Executor loop;
    private final CompletableFuture<ObjectNode> ready = new CompletableFuture<>();
    private ObjectNode user = JsonNodeFactory.instance.objectNode();
    private long userId;
    private String sessionId;
    /** Moves inside a guild waiting to be seen: the server confirms them with the person's VOICE_STATE_UPDATE only. */
    private final Map<Long, List<CompletableFuture<Void>>> moves = new HashMap<>();
    /** Guilds the READY announced, whose GUILD_CREATE is their lazy load rather than a join. */
    private final Set<Long> announced = new HashSet<>();
    private final Map<Long, ObjectNode> guilds = new HashMap<>();
    private final Map<Long, Set<Long>> online = new HashMap<>();
    /** user id → the voice state's gateway form, for those in a voice channel. */
    private final Map<Long, JsonNode> voice = new LinkedHashMap<>();

    /** @param loop the agent's thread, where everything here happens */
    PersonState(Executor loop) {
        this.loop = loop;
    }

    /** Where the events go; set once, before the gateway session starts. */
    void attach(RpcHub hub) {
        this.hub = hub;
    }

    /** Completes with the person once the session's READY came. */
    CompletableFuture<ObjectNode> ready() {
        return ready;
    }

    /**
     * The person as RPC's READY shows them to any program, before any consent: the public profile
     * only, never the email or the account's settings that the gateway's READY carries.
     */
    ObjectNode user() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String field : new String[] {"id", "username", "discriminator", "global_name", "avatar", "bot", "flags", "premium_type"}) {
            if (user.has(field)) {
                out.set(field, user.get(field).deepCopy());
            }
        }
        return out;
    }

    Optional<Long> ownVoiceChannel() {
        return Optional.ofNullable(voice.get(userId)).map(v -> v.get("channel_id").asLong());
    }

    Optional<Long> ownVoiceGuild() {
        return Optional.ofNullable(voice.get(userId)).map(v -> v.get("guild_id").asLong());
    }

    long userId() {
        return userId;
    }

    /** The gateway session's id, which the voice gateway's identify names. */
    String sessionId() {
        return sessionId;
    }

    /** Whether the person's voice connection is this agent's session's (not another client's of theirs). */
    boolean voiceIsOurs() {
        JsonNode v = voice.get(userId);
        return v != null && v.path("session_id").asText().equals(sessionId);
    }

    /** Completes when the person's voice state shows them in {@code channelId}. */
    CompletableFuture<Void> awaitOwnChannel(long channelId) {
        CompletableFuture<Void> seen = new CompletableFuture<>();
        moves.computeIfAbsent(channelId, k -> new ArrayList<>()).add(seen);
        // a move that never shows is forgotten after a while, on the agent's thread like every change here
        seen.orTimeout(MOVE_PATIENCE_SECONDS, TimeUnit.SECONDS).whenCompleteAsync((x, e) -> {
            List<CompletableFuture<Void>> waiting = moves.get(channelId);
            if (waiting != null && waiting.remove(seen) && waiting.isEmpty()) {
                moves.remove(channelId);
            }
        }, loop);
        return seen;
    }

    Collection<ObjectNode> voiceStatesIn(long channelId) {
        return voice.values().stream().filter(v -> v.get("channel_id").asLong() == channelId).map(RpcShapes::voiceState).toList();
    }

    @Override
    public void onDispatch(String type, JsonNode d, long seq) {
        switch (type) {
            case "READY" -> onReady(d);
            case "GUILD_CREATE" -> onGuildCreate(d);
            case "GUILD_UPDATE" -> {
                long id = d.path("id").asLong();
                guilds.put(id, RpcShapes.partialGuild(d));
                guildStatus(id);
            }
            case "GUILD_DELETE" -> {
                long id = d.path("id").asLong();
                guilds.remove(id);
                online.remove(id);
                voice.values().removeIf(v -> v.path("guild_id").asLong() == id);
            }
            case "PRESENCE_UPDATE" -> onPresence(d);
            case "CHANNEL_CREATE" -> {
                if (d.hasNonNull("guild_id")) {
                    hub.deliver(RpcEvent.CHANNEL_CREATE, null, RpcShapes.partialChannel(d));
                }
            }
            case "MESSAGE_CREATE" -> onMessage(RpcEvent.MESSAGE_CREATE, d);
            case "MESSAGE_UPDATE" -> onMessage(RpcEvent.MESSAGE_UPDATE, d);
            case "MESSAGE_DELETE" -> onMessage(RpcEvent.MESSAGE_DELETE, d);
            case "VOICE_STATE_UPDATE" -> onVoiceState(d);
            case "OAUTH2_TOKEN_REVOKE" -> hub.grantEnded(d.path("application_id").asLong());
            default -> { }
        }
    }

    private void onReady(JsonNode d) {
        if (ready.isDone()) {
            // a new session after the old one was lost: grants may have ended while no session listened
            hub.recheckGrants();
        }
        user = (ObjectNode) d.get("user").deepCopy();
        userId = user.path("id").asLong();
        sessionId = d.path("session_id").asText();
        announced.clear();
        // a new session: voice states are sent again with each guild
        voice.clear();
        d.path("guilds").forEach(g -> {
            announced.add(g.path("id").asLong());
            if (!g.path("unavailable").asBoolean(false)) {
                onGuildCreate(g); // a server that sends whole guilds in READY: no GUILD_CREATE follows
            }
        });
        ready.complete(user());
    }

    private void onGuildCreate(JsonNode d) {
        long id = d.path("id").asLong();
        guilds.put(id, RpcShapes.partialGuild(d));
        Set<Long> on = new HashSet<>();
        d.path("presences").forEach(p -> {
            if (!p.path("status").asText("offline").equals("offline")) {
                on.add(p.path("user").path("id").asLong());
            }
        });
        online.put(id, on);
        d.path("voice_states").forEach(v -> {
            ObjectNode withGuild = ((ObjectNode) v).deepCopy().put("guild_id", Long.toString(id));
            if (withGuild.hasNonNull("channel_id")) {
                voice.put(withGuild.path("user_id").asLong(), withGuild);
            }
        });
        if (!announced.remove(id)) {
            ObjectNode created = JsonNodeFactory.instance.objectNode();
            created.put("id", Long.toString(id));
            created.put("name", d.path("name").asText());
            hub.deliver(RpcEvent.GUILD_CREATE, null, created);
        }
    }

    private void onPresence(JsonNode d) {
        long guild = d.path("guild_id").asLong();
        Set<Long> on = online.get(guild);
        if (on == null) {
            return;
        }
        long who = d.path("user").path("id").asLong();
        boolean changed = d.path("status").asText("offline").equals("offline") ? on.remove(who) : on.add(who);
        if (changed) {
            guildStatus(guild);
        }
    }

    private void guildStatus(long guildId) {
        ObjectNode guild = guilds.get(guildId);
        if (guild == null) {
            return;
        }
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.set("guild", guild.deepCopy());
        status.put("online", online.getOrDefault(guildId, Set.of()).size());
        hub.deliver(RpcEvent.GUILD_STATUS, guildId, status);
    }

    private void onMessage(RpcEvent event, JsonNode d) {
        long channel = d.path("channel_id").asLong();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("channel_id", Long.toString(channel));
        out.set("message", event == RpcEvent.MESSAGE_DELETE
                ? JsonNodeFactory.instance.objectNode().put("id", d.path("id").asText()) : d.deepCopy());
        hub.deliver(event, channel, out);
        if (event == RpcEvent.MESSAGE_CREATE && notifies(d)) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("channel_id", Long.toString(channel));
            n.set("message", d.deepCopy());
            n.set("icon_url", JsonNodeFactory.instance.nullNode());
            n.put("title", d.path("author").path("global_name").asText(d.path("author").path("username").asText()));
            n.put("body", d.path("content").asText(""));
            hub.deliver(RpcEvent.NOTIFICATION_CREATE, null, n);
        }
    }

    /** Whether the person would be notified: someone else's message in a DM, or one that mentions them. */
    private boolean notifies(JsonNode m) {
        if (m.path("author").path("id").asLong() == userId) {
            return false;
        }
        if (!m.hasNonNull("guild_id") || m.path("mention_everyone").asBoolean(false)) {
            return true;
        }
        for (JsonNode mention : m.path("mentions")) {
            if (mention.path("id").asLong() == userId) {
                return true;
            }
        }
        return false;
    }

    private void onVoiceState(JsonNode d) {
        long who = d.path("user_id").asLong();
        JsonNode before = voice.get(who);
        Long from = before == null ? null : before.get("channel_id").asLong();
        Long to = d.hasNonNull("channel_id") ? d.get("channel_id").asLong() : null;
        if (to == null) {
            voice.remove(who);
        } else {
            voice.put(who, d.deepCopy());
        }
        ObjectNode state = RpcShapes.voiceState(d);
        if (from != null && !from.equals(to)) {
            hub.deliver(RpcEvent.VOICE_STATE_DELETE, from, before == null ? state : RpcShapes.voiceState(before));
        }
        if (to != null) {
            hub.deliver(from != null && from.equals(to) ? RpcEvent.VOICE_STATE_UPDATE : RpcEvent.VOICE_STATE_CREATE, to, state);
        }
        if (who == userId && to != null) {
            List<CompletableFuture<Void>> waiting = moves.remove(to);
            if (waiting != null) {
                waiting.forEach(f -> f.complete(null));
            }
        }
        if (who == userId && !Objects.equals(from, to)) {
            ObjectNode select = JsonNodeFactory.instance.objectNode();
            select.set("channel_id", to == null ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.textNode(Long.toString(to)));
            select.set("guild_id", d.hasNonNull("guild_id") ? d.get("guild_id") : JsonNodeFactory.instance.nullNode());
            hub.deliver(RpcEvent.VOICE_CHANNEL_SELECT, null, select);
        }
    }
}
