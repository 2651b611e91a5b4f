package dev.gatehouse.rpc.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.gateway.Activity;
import dev.gatehouse.rpc.protocol.RpcError;
import dev.gatehouse.rpc.protocol.RpcException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** An account in memory: one guild with a text and a voice channel, one application, tokens by name. */
class FakeAccount implements Account {

    static final long PERSON = 100;
    static final long APP = 500;
    static final long OTHER_APP = 501;
    static final long GUILD = 1000;
    static final long TEXT = 1001;
    static final long VOICE = 1002;
    static final long OTHER_VOICE = 1003;

    final Map<Long, RpcApplication> applications = new HashMap<>(Map.of(
            APP, new RpcApplication(APP, "Chess", List.of("https://chess.example")),
            OTHER_APP, new RpcApplication(OTHER_APP, "Other", List.of())));
    final Map<String, RpcGrant> tokens = new HashMap<>();
    final Map<Long, Activity> activities = new LinkedHashMap<>();
    boolean approve = true;
    /** Origins the person lets web pages connect from. */
    final java.util.Set<String> admitted = new java.util.HashSet<>(java.util.Set.of("https://chess.example"));
    Long voiceChannel;
    Long selectedText;
    /** When set, voice joins never complete (the server does not answer). */
    boolean joinHangs;
    boolean guildHangs;
    final VoiceSettings settings = new VoiceSettings();

    /** When the tokens made next expire. */
    long expiresAt = Long.MAX_VALUE;

    void grant(String token, long appId, long userId, String... scopes) {
        ObjectNode described = JsonNodeFactory.instance.objectNode();
        described.putObject("application").put("id", Long.toString(appId));
        ArrayNode s = described.putArray("scopes");
        for (String scope : scopes) {
            s.add(scope);
        }
        described.put("expires", "2030-01-01T00:00:00Z");
        described.putObject("user").put("id", Long.toString(userId));
        tokens.put(token, new RpcGrant(token, appId, Set.of(scopes), expiresAt, described));
    }

    @Override
    public ObjectNode user() {
        return JsonNodeFactory.instance.objectNode().put("id", Long.toString(PERSON)).put("username", "person");
    }

    @Override
    public ObjectNode config() {
        return JsonNodeFactory.instance.objectNode().put("api_endpoint", "//127.0.0.1:1/api").put("cdn_host", "127.0.0.1:1")
                .put("environment", "production");
    }

    @Override
    public CompletableFuture<Optional<RpcApplication>> application(long clientId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(applications.get(clientId)));
    }

    @Override
    public CompletableFuture<Boolean> admitOrigin(RpcApplication application, String origin) {
        return CompletableFuture.completedFuture(admitted.contains(origin));
    }

    @Override
    public CompletableFuture<String> authorize(RpcApplication application, List<String> scopes) {
        if (!approve) {
            return CompletableFuture.failedFuture(new RpcException(RpcError.OAUTH2_ERROR, "declined"));
        }
        return CompletableFuture.completedFuture("code-for-" + application.id() + "-" + String.join("+", scopes));
    }

    @Override
    public CompletableFuture<Optional<RpcGrant>> grant(String accessToken) {
        return CompletableFuture.completedFuture(Optional.ofNullable(tokens.get(accessToken)));
    }

    @Override
    public CompletableFuture<ArrayNode> guilds() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        out.add(guildNode());
        return CompletableFuture.completedFuture(out);
    }

    private static ObjectNode guildNode() {
        return JsonNodeFactory.instance.objectNode().put("id", Long.toString(GUILD)).put("name", "Club").putNull("icon_url");
    }

    @Override
    public CompletableFuture<Optional<ObjectNode>> guild(long guildId) {
        if (guildHangs) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(guildId == GUILD ? Optional.of(guildNode()) : Optional.empty());
    }

    @Override
    public CompletableFuture<Optional<ArrayNode>> channels(long guildId) {
        if (guildId != GUILD) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (long id : new long[] {TEXT, VOICE, OTHER_VOICE}) {
            out.add(channelNode(id));
        }
        return CompletableFuture.completedFuture(Optional.of(out));
    }

    private static ObjectNode channelNode(long id) {
        return JsonNodeFactory.instance.objectNode().put("id", Long.toString(id)).put("guild_id", Long.toString(GUILD))
                .put("name", id == TEXT ? "general" : "voice-" + id).put("type", id == TEXT ? 0 : 2);
    }

    @Override
    public CompletableFuture<Optional<ObjectNode>> channel(long channelId) {
        boolean known = channelId == TEXT || channelId == VOICE || channelId == OTHER_VOICE;
        return CompletableFuture.completedFuture(known ? Optional.of(channelNode(channelId)) : Optional.empty());
    }

    @Override
    public Optional<Long> voiceChannel() {
        return Optional.ofNullable(voiceChannel);
    }

    @Override
    public CompletableFuture<Void> joinVoice(long guildId, long channelId) {
        if (joinHangs) {
            pendingJoin = new CompletableFuture<>();
            return pendingJoin;
        }
        voiceChannel = channelId;
        return CompletableFuture.completedFuture(null);
    }

    int leaves;
    CompletableFuture<Void> pendingJoin;

    @Override
    public CompletableFuture<Void> leaveVoice() {
        leaves++;
        voiceChannel = null;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void selectTextChannel(Long channelId) {
        selectedText = channelId;
    }

    @Override
    public ObjectNode voiceSettings() {
        return settings.get();
    }

    @Override
    public ObjectNode updateVoiceSettings(JsonNode patch) {
        return settings.apply(patch);
    }

    @Override
    public void setActivity(long connectionId, Activity activity) {
        if (activity == null) {
            activities.remove(connectionId);
        } else {
            activities.put(connectionId, activity);
        }
    }
}
