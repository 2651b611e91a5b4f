package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The HTTP calls load programs make: set-up calls that must succeed, and timed posts. */
public final class BenchApi {

    /** A guild with one text channel and accounts that are all members of it. */
    record World(String guildId, String channelId, List<String> tokens) {}

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public BenchApi(String url) {
        this.base = url + "/api/v10";
    }

    /** Registers {@code users} accounts; the first owns a new guild the others join by invite. */
    World world(String run, int users) throws IOException, InterruptedException {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            JsonNode r = call("POST", "/auth/register", null, Map.of("username", "load_" + run + "_" + i, "password", "load-password-" + i));
            tokens.add(r.get("token").asText());
        }
        JsonNode guild = call("POST", "/guilds", tokens.getFirst(), Map.of("name", "load " + run));
        String guildId = guild.get("id").asText();
        String channelId = guild.get("system_channel_id").asText();
        if (users > 1) {
            String code = call("POST", "/channels/" + channelId + "/invites", tokens.getFirst(), Map.of("max_age", 0)).get("code").asText();
            for (String token : tokens.subList(1, tokens.size())) {
                call("POST", "/invites/" + code, token, Map.of());
            }
        }
        return new World(guildId, channelId, tokens);
    }

    /** A POST whose status is the result (-1: the request failed on the way). */
    int post(String path, String token, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -2;
        }
    }

    public JsonNode call(String method, String path, String token, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body().isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(r.body());
    }
}
