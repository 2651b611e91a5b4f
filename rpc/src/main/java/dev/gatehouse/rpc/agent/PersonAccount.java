package dev.gatehouse.rpc.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.client.gateway.GatewayClient;
import dev.gatehouse.client.rest.RestClient;
import dev.gatehouse.protocol.gateway.Activity;
import dev.gatehouse.protocol.gateway.PresenceUpdate;
import dev.gatehouse.protocol.gateway.VoiceStateUpdate;
import dev.gatehouse.rpc.protocol.RpcError;
import dev.gatehouse.rpc.protocol.RpcException;
import dev.gatehouse.rpc.session.Account;
import dev.gatehouse.rpc.session.RpcApplication;
import dev.gatehouse.rpc.session.RpcGrant;
import dev.gatehouse.rpc.session.VoiceSettings;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The person's account as the agent reaches it: reads through the server's HTTP API with the
 * person's own token (so a program sees exactly what the person may see), voice and presence
 * through the person's gateway session, and what the agent keeps itself (voice settings, the text
 * channel selected, each connection's Rich Presence). What the gateway session reports
 * ({@link PersonState}) answers the voice questions. Runs on the agent's thread, like the
 * connections; HTTP answers come back on it through {@code loop}.
 */
final class PersonAccount implements Account {

    private static final Logger log = LoggerFactory.getLogger(PersonAccount.class);
    /** The server's access tokens are 43 base64url characters; allow some room, not arbitrary text. */
    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{20,128}");

    private final RestClient rest;
    private final Executor loop;
    private final Approver approver;
    private final PersonState state;
    private final ObjectNode config;
    private GatewayClient gateway;
    private VoiceWatch voice;
    private final VoiceSettings voiceSettings = new VoiceSettings();
    /** The person's answer (or the open question) per application and origin, for as long as the agent runs. */
    private final Map<String, CompletableFuture<Boolean>> originAnswers = new HashMap<>();
    /** Each connection's activity, the most recently set last: that one is the person's Rich Presence. */
    private final LinkedHashMap<Long, Activity> activities = new LinkedHashMap<>();

    PersonAccount(RestClient rest, Executor loop, Approver approver, PersonState state, ObjectNode config) {
        this.rest = rest;
        this.loop = loop;
        this.approver = approver;
        this.state = state;
        this.config = config;
    }

    void attach(GatewayClient gateway, VoiceWatch voice) {
        this.gateway = gateway;
        this.voice = voice;
    }

    @Override
    public ObjectNode user() {
        return state.user();
    }

    @Override
    public ObjectNode config() {
        return config.deepCopy();
    }

    @Override
    public CompletableFuture<Optional<RpcApplication>> application(long clientId) {
        return get("/applications/" + clientId + "/rpc").thenApply(found -> found.map(a -> {
            List<String> origins = new ArrayList<>();
            a.path("rpc_origins").forEach(o -> origins.add(o.asText()));
            return new RpcApplication(a.get("id").asLong(), a.path("name").asText(), origins);
        }));
    }

    /**
     * Asks the person once per application and origin for the agent's run: the answer, yes or no,
     * is kept, and connections that arrive while the question is open share it, so a page cannot
     * make the agent ask again and again.
     */
    @Override
    public CompletableFuture<Boolean> admitOrigin(RpcApplication application, String origin) {
        String key = application.id() + " " + origin;
        return originAnswers.computeIfAbsent(key, k -> approver.connect(application, origin).exceptionally(e -> false));
    }

    @Override
    public CompletableFuture<String> authorize(RpcApplication application, List<String> scopes) {
        return approver.authorize(application, scopes).thenComposeAsync(approved -> {
            if (!approved) {
                throw new RpcException(RpcError.OAUTH2_ERROR, "The person declined to authorize " + application.name());
            }
            String query = "response_type=code&client_id=" + application.id() + "&scope="
                    + URLEncoder.encode(String.join(" ", new LinkedHashSet<>(scopes)), StandardCharsets.UTF_8);
            return rest.request("POST", "/oauth2/authorize?" + query, Map.of("authorize", true));
        }, loop).thenApply(r -> {
            if (!r.ok() || r.body() == null || !r.body().path("location").isTextual()) {
                throw new RpcException(RpcError.OAUTH2_ERROR, "The server refused: " + describe(r));
            }
            String code = queryParameter(r.body().get("location").asText(), "code");
            if (code == null) {
                throw new RpcException(RpcError.OAUTH2_ERROR, "The server issued no code");
            }
            return code;
        });
    }

    /**
     * Asks the server about a token: {@code GET /oauth2/@me} with it. Strings that cannot be one of
     * the server's tokens are refused here, so a program cannot make the agent send the server
     * failed authentications by the thousand (the server blocks an IP that makes too many).
     */
    @Override
    public CompletableFuture<Optional<RpcGrant>> grant(String accessToken) {
        if (!TOKEN_SHAPE.matcher(accessToken).matches()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return rest.as("Bearer " + accessToken).request("GET", "/oauth2/@me", null).thenApply(r -> {
            if (r.status() == 401 || r.status() == 403) {
                return Optional.empty();
            }
            if (!r.ok() || r.body() == null) {
                throw new RpcException(RpcError.UNKNOWN_ERROR, "The server could not check the token: " + describe(r));
            }
            JsonNode body = r.body();
            LinkedHashSet<String> scopes = new LinkedHashSet<>();
            body.path("scopes").forEach(s -> scopes.add(s.asText()));
            long expires = Instant.parse(body.path("expires").asText("1970-01-01T00:00:00Z")).toEpochMilli();
            return Optional.of(new RpcGrant(accessToken, body.path("application").path("id").asLong(), scopes, expires, (ObjectNode) body));
        });
    }

    @Override
    public CompletableFuture<ArrayNode> guilds() {
        return rest.request("GET", "/users/@me/guilds", null).thenApply(r -> {
            if (!r.ok() || r.body() == null) {
                throw new RpcException(RpcError.UNKNOWN_ERROR, "The server could not list guilds: " + describe(r));
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            r.body().forEach(g -> out.add(RpcShapes.partialGuild(g)));
            return out;
        });
    }

    @Override
    public CompletableFuture<Optional<ObjectNode>> guild(long guildId) {
        return get("/guilds/" + guildId).thenApply(g -> g.map(RpcShapes::guild));
    }

    @Override
    public CompletableFuture<Optional<ArrayNode>> channels(long guildId) {
        return get("/guilds/" + guildId + "/channels").thenApply(found -> found.map(list -> {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            list.forEach(c -> out.add(RpcShapes.partialChannel(c)));
            return out;
        }));
    }

    @Override
    public CompletableFuture<Optional<ObjectNode>> channel(long channelId) {
        return get("/channels/" + channelId).thenComposeAsync(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<ObjectNode>empty());
            }
            JsonNode c = found.get();
            int type = c.path("type").asInt();
            boolean voice = type == 2 || type == 13;
            CompletableFuture<JsonNode> messages = voice || type == 4
                    ? CompletableFuture.completedFuture(JsonNodeFactory.instance.arrayNode())
                    : get("/channels/" + channelId + "/messages?limit=50").thenApply(m -> m.orElse(JsonNodeFactory.instance.arrayNode()));
            return messages.thenApplyAsync(m -> Optional.of(RpcShapes.channel(c, state.voiceStatesIn(channelId), m)), loop);
        }, loop);
    }

    @Override
    public Optional<Long> voiceChannel() {
        return state.ownVoiceChannel();
    }

    /**
     * A join completes with the server's VOICE_SERVER_UPDATE, and the agent's voice connection (for
     * speaking events) opens on it. A move inside the guild this session is in keeps that
     * connection and gets no new server update, so it completes when the person's voice state shows
     * the new channel.
     */
    @Override
    public CompletableFuture<Void> joinVoice(long guildId, long channelId) {
        VoiceStateUpdate update = new VoiceStateUpdate(guildId, channelId, voiceSettings.mute(), voiceSettings.deaf());
        if (state.voiceIsOurs() && state.ownVoiceGuild().equals(Optional.of(guildId))) {
            CompletableFuture<Void> moved = state.awaitOwnChannel(channelId);
            gateway.send(update);
            return moved;
        }
        return gateway.updateVoiceState(update).thenAcceptAsync(server -> voice.connect(server, state.userId(), state.sessionId()), loop);
    }

    @Override
    public CompletableFuture<Void> leaveVoice() {
        Optional<Long> guild = state.ownVoiceGuild();
        if (guild.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return gateway.updateVoiceState(VoiceStateUpdate.leave(guild.get())).thenRunAsync(voice::close, loop);
    }

    /** The agent has no window to show the channel in: the person sees the selection in its log. */
    @Override
    public void selectTextChannel(Long channelId) {
        log.atInfo().addKeyValue("channel", channelId).log(channelId == null ? "text channel deselected" : "text channel selected");
    }

    @Override
    public ObjectNode voiceSettings() {
        return voiceSettings.get();
    }

    @Override
    public ObjectNode updateVoiceSettings(JsonNode patch) {
        boolean mute = voiceSettings.mute();
        boolean deaf = voiceSettings.deaf();
        ObjectNode out = voiceSettings.apply(patch);
        Optional<Long> guild = state.ownVoiceGuild();
        Optional<Long> channel = state.ownVoiceChannel();
        // only the agent's own voice connection: op 4 for another client's would take it over
        if ((mute != voiceSettings.mute() || deaf != voiceSettings.deaf()) && state.voiceIsOurs() && guild.isPresent() && channel.isPresent()) {
            gateway.send(new VoiceStateUpdate(guild.get(), channel.get(), voiceSettings.mute(), voiceSettings.deaf()));
        }
        return out;
    }

    @Override
    public void setActivity(long connectionId, Activity activity) {
        Activity before = shownActivity();
        activities.remove(connectionId);
        if (activity != null) {
            activities.put(connectionId, activity);
        }
        Activity now = shownActivity();
        if (before != now) {
            // a newer presence replaces one still waiting to be sent; that one's future fails, which is fine
            gateway.updatePresence(new PresenceUpdate("online", now == null ? List.of() : List.of(now), false))
                    .exceptionally(e -> null);
        }
    }

    /** The activity the person shows: the one set last by a connection still open. */
    Activity shownActivity() {
        Activity last = null;
        for (Activity a : activities.values()) {
            last = a;
        }
        return last;
    }

    /** A GET that is empty for what the person cannot see (403, 404, a malformed id's 400). */
    private CompletableFuture<Optional<JsonNode>> get(String path) {
        return rest.request("GET", path, null).thenApply(r -> {
            if (r.status() == 404 || r.status() == 403 || r.status() == 400) {
                return Optional.empty();
            }
            if (!r.ok() || r.body() == null) {
                throw new RpcException(RpcError.UNKNOWN_ERROR, "The server failed: " + describe(r));
            }
            return Optional.of(r.body());
        });
    }

    private static String describe(RestClient.Response r) {
        JsonNode body = r.body();
        String message = body == null ? "" : body.path("message").asText(body.path("error_description").asText(""));
        return r.status() + (message.isEmpty() ? "" : " " + message);
    }

    static String queryParameter(String location, String name) {
        String query = URI.create(location).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
