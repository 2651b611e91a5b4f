package dev.gatehouse.rest.http;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.error.Unavailable;
import dev.gatehouse.core.model.AccessGrant;
import dev.gatehouse.core.model.User;
import dev.gatehouse.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small API for dispatcher tests: a few routes of each kind, two users with tokens, and requests
 * built without a socket. {@link #runs} counts how often each route's code actually ran, so a
 * refused request can be shown to have done nothing.
 */
final class Fixture {

    static final Principal ALICE = new Principal(new User(1001, "alice", null, null, null, false, 0, 0));
    static final Principal BOB = new Principal(new User(1002, "bob", null, null, null, false, 0, 0));
    /** Alice's OAuth2 access token for application 9, with the {@code identify} scope only. */
    static final Principal ALICE_IDENTIFY = new Principal(ALICE.user(),
            new AccessGrant(77, 9, 1001, Set.of("identify"), Long.MAX_VALUE, 0, true));
    static final Map<String, Principal> TOKENS = Map.of("alice-token", ALICE, "bob-token", BOB, "alice-bearer", ALICE_IDENTIFY);
    static final Function<String, Optional<Principal>> AUTH = token -> Optional.ofNullable(TOKENS.get(token));

    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final AtomicInteger version = new AtomicInteger();

    RouteTable routes() {
        RouteTable t = new RouteTable();
        t.get("/things/@me").scopes("identify").to(req -> ran("me", ApiResponse.ok(Map.of("user", req.principal().userId(), "version", version.get()))));
        t.patch("/things/@me").to(req -> ran("patch", ApiResponse.ok(Map.of("version", version.incrementAndGet()))));
        t.post("/things").to(req -> {
            var form = req.form();
            String name = form.string("name", 2, 10);
            Integer size = form.optInt("size", 0, 100);
            form.validate();
            return ran("create", ApiResponse.created(Map.of("name", name, "size", size == null ? 0 : size)));
        });
        t.delete("/things/{thing.id}").to(req -> ran("delete", ApiResponse.noContent()));
        t.get("/guilds/{guild.id}/things").limit("guild things", 3, 10_000).to(req -> ran("guild", ApiResponse.ok(List.of())));
        t.get("/guilds/{guild.id}/secret").to(req -> {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
        });
        t.get("/channels/{channel.id}/things").limit("channel things", 100, 60_000).to(req -> ran("channel", ApiResponse.ok(List.of())));
        t.post("/login").open().limit("login", 2, 60_000).to(req -> ran("login", ApiResponse.ok(Map.of())));
        t.post("/register").open().limit("login", 2, 60_000).to(req -> ran("register", ApiResponse.created(Map.of())));
        t.get("/public").open().to(req -> ran("public", ApiResponse.ok(Map.of("who", req.isAuthenticated() ? "user" : "anon"))));
        t.post("/token").clientAuthenticated().to(req -> ran("token", ApiResponse.ok(Map.of("who", req.isAuthenticated() ? "user" : "client"))));
        t.get("/boom").to(req -> {
            throw new IllegalStateException("a bug");
        });
        t.get("/lease").to(req -> {
            throw new Unavailable("this node's worker id lease is not held");
        });
        t.get("/database").to(req -> {
            throw new IllegalStateException("query failed",
                    new java.sql.SQLTransientConnectionException("gatehouse-db - Connection is not available, request timed out"));
        });
        return t;
    }

    private ApiResponse ran(String route, ApiResponse response) {
        runs.computeIfAbsent(route, k -> new AtomicInteger()).incrementAndGet();
        return response;
    }

    int runs(String route) {
        AtomicInteger n = runs.get(route);
        return n == null ? 0 : n.get();
    }

    /** A request builder; paths are full ({@code /api/v10/...}). */
    static Req req(String method, String path) {
        return new Req(method, path);
    }

    static final class Req {
        final String method;
        final String path;
        final Map<String, String> headers = new HashMap<>();
        byte[] body = new byte[0];
        String ip = "192.0.2.1";

        Req(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Req token(String token) {
            headers.put("authorization", token);
            return this;
        }

        Req header(String name, String value) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        Req body(String json) {
            body = json.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Req ip(String address) {
            ip = address;
            return this;
        }

        ApiRequest build() {
            return new ApiRequest(method, path, Map.of(), Map.copyOf(headers), body, ip);
        }
    }

    static JsonNode json(ApiResponse r) {
        try {
            byte[] bytes = r.raw() != null ? r.raw() : Json.bytes(r.body());
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
