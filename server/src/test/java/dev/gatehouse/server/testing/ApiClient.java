package dev.gatehouse.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gatehouse.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A small HTTP client for tests: JSON in, status + headers + JSON out. */
public final class ApiClient {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String version = "v10";

    public ApiClient(String base) {
        this.base = base;
    }

    /** The same server under another API version ({@code v1} for the fluxer dialect). */
    public ApiClient version(String v) {
        ApiClient c = new ApiClient(base);
        c.version = v;
        return c;
    }

    public record Response(int status, java.net.http.HttpHeaders headers, String text) {
        public JsonNode json() {
            if (text.isEmpty()) {
                return MissingNode.getInstance();
            }
            try {
                return Json.mapper().readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** A request under {@code /api/<version>}; {@code body} is a JSON string, a Map/record, or null. */
    public Response call(String method, String path, String token, Object body) {
        return call(method, path, token, body, Map.of());
    }

    public Response call(String method, String path, String token, Object body, Map<String, String> headers) {
        return raw(method, "/api/" + version + path, token, body, headers);
    }

    /** A request to an absolute path on the server ({@code /healthz}). */
    public Response raw(String method, String path, String token, Object body, Map<String, String> headers) {
        byte[] bytes = body == null ? new byte[0]
                : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : body instanceof byte[] b ? b : Json.bytes(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes.length > 0 && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", token);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path, String token) { return call("GET", path, token, null); }
    public Response post(String path, String token, Object body) { return call("POST", path, token, body); }
    public Response put(String path, String token, Object body) { return call("PUT", path, token, body); }
    public Response patch(String path, String token, Object body) { return call("PATCH", path, token, body); }
    public Response delete(String path, String token) { return call("DELETE", path, token, null); }

    /** A registered person: their id and token. */
    public record Account(long id, String token, String username) {}

    /** Registers a fresh user with a unique name. */
    public Account register(String prefix) {
        String username = prefix + NAMES.incrementAndGet();
        Response r = call("POST", "/auth/register", null, Map.of("username", username, "password", "password-" + username));
        if (r.status() != 201) {
            throw new AssertionError("register failed: " + r);
        }
        return new Account(r.json().get("user_id").asLong(), r.json().get("token").asText(), username);
    }

    /** The first text channel of a guild (a new guild's "general"), as someone who can see it. */
    public long firstTextChannel(long guildId, String token) {
        for (JsonNode c : get("/guilds/" + guildId + "/channels", token).json()) {
            if (c.get("type").intValue() == 0) {
                return c.get("id").asLong();
            }
        }
        throw new AssertionError("no text channel in guild " + guildId);
    }

    /** Creates a guild owned by the account; returns the guild JSON. */
    public JsonNode createGuild(Account owner, String name) {
        Response r = post("/guilds", owner.token(), Map.of("name", name));
        if (r.status() != 201) {
            throw new AssertionError("create guild failed: " + r);
        }
        return r.json();
    }

    /** A bot application owned by the account; returns the bot's account (id = application id). */
    public Account createBot(Account owner, String name) {
        Response app = post("/applications", owner.token(), Map.of("name", name));
        if (app.status() != 201) {
            throw new AssertionError("create application failed: " + app);
        }
        long id = app.json().get("id").asLong();
        Response reset = post("/applications/" + id + "/bot/reset", owner.token(), null);
        if (reset.status() != 200) {
            throw new AssertionError("reset failed: " + reset);
        }
        return new Account(id, "Bot " + reset.json().get("token").asText(), name);
    }
}
