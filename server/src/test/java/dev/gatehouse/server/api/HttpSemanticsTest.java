package dev.gatehouse.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.ServerConfig;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status codes and error bodies of docs/PROTOCOL.md §8, over real HTTP. Rate limits: RateLimitsApiTest. */
class HttpSemanticsTest {

    static final int MAX_BODY = 4096;
    static TestServer server;
    static ApiClient api;
    static ApiClient fluxer;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> new ServerConfig(c.host(), c.port(), c.publicUrl(), c.database(), MAX_BODY, false,
                c.limits(), c.worker(), c.gateway(), c.tls(), c.voice(), c.cluster()));
        api = server.api();
        fluxer = api.version("v1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void okAndCreated() {
        Account a = api.register("sem");
        var me = api.get("/users/@me", a.token());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.header("content-type")).isEqualTo("application/json");
        var created = api.post("/guilds", a.token(), Map.of("name", "Status Guild"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("name").asText()).isEqualTo("Status Guild");
    }

    @Test
    void conditionalGetIs304UntilTheResourceChanges() {
        Account a = api.register("etag");
        var first = api.get("/users/@me", a.token());
        String etag = first.header("etag");
        assertThat(etag).isNotBlank();

        var second = api.call("GET", "/users/@me", a.token(), null, Map.of("If-None-Match", etag));
        assertThat(second.status()).isEqualTo(304);
        assertThat(second.text()).isEmpty();
        assertThat(second.header("etag")).isEqualTo(etag);
        assertThat(api.call("GET", "/users/@me", a.token(), null, Map.of("If-None-Match", "W/\"stale\"")).status()).isEqualTo(200);

        assertThat(api.patch("/users/@me", a.token(), Map.of("global_name", "Changed")).status()).isEqualTo(200);
        var changed = api.call("GET", "/users/@me", a.token(), null, Map.of("If-None-Match", etag));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("global_name").asText()).isEqualTo("Changed");
        assertThat(changed.header("etag")).isNotEqualTo(etag);
        assertThat(api.call("GET", "/users/@me", a.token(), null, Map.of("If-None-Match", changed.header("etag"))).status())
                .isEqualTo(304);
    }

    @Test
    void headIsGetWithoutTheBody() {
        Account a = api.register("head");
        var get = api.get("/users/@me", a.token());
        var head = api.call("HEAD", "/users/@me", a.token(), null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.text()).isEmpty();
        assertThat(head.header("etag")).isEqualTo(get.header("etag"));
        assertThat(head.header("content-length")).isEqualTo(Integer.toString(get.text().getBytes(StandardCharsets.UTF_8).length));
        var missing = api.call("HEAD", "/nothing", a.token(), null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).isEmpty();
        assertThat(api.call("HEAD", "/users/@me", null, null).status()).isEqualTo(401);
    }

    @Test
    void badJsonIs50109() {
        Account a = api.register("badjson");
        for (String body : new String[] {"{\"name\": ", "{'name': 'x'}", "name=x", "{\"name\":\"ok\"} trailing"}) {
            var r = api.post("/guilds", a.token(), body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().toString()).as(body).isEqualTo("{\"message\":\"The request body contains invalid JSON.\",\"code\":50109}");
        }
        assertThat(fluxer.post("/guilds", a.token(), "{").json().get("code").asText()).isEqualTo("INVALID_JSON");
    }

    @Test
    void invalidFieldsAre50035WithNestedErrors() {
        Account a = api.register("badform");
        var wrongType = api.post("/guilds", a.token(), Map.of("name", 12345));
        assertThat(wrongType.status()).isEqualTo(400);
        JsonNode body = wrongType.json();
        assertThat(body.get("code").asInt()).isEqualTo(50035);
        assertThat(body.get("message").asText()).isEqualTo("Invalid Form Body");
        assertThat(body.at("/errors/name/_errors/0/code").asText()).isEqualTo("STRING_TYPE_CONVERT");
        assertThat(body.at("/errors/name/_errors/0/message").asText()).isNotBlank();

        var missing = api.post("/guilds", a.token(), Map.of());
        assertThat(missing.json().at("/errors/name/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        var notAnObject = fluxer.post("/guilds", a.token(), "[\"name\"]");
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(notAnObject.json().get("code").asText()).isEqualTo("INVALID_FORM_BODY");
        assertThat(notAnObject.json().at("/errors/_errors/0/code").asText()).isEqualTo("DICT_TYPE_CONVERT");

        var badId = api.get("/guilds/not-a-snowflake", a.token());
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().at("/errors/guild_id/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(api.get("/users/@me/guilds", a.token()).json()).as("nothing was created").isEmpty();
    }

    @Test
    void missingAndInvalidTokensAre401() {
        var none = api.get("/users/@me", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().toString()).isEqualTo("{\"message\":\"401: Unauthorized\",\"code\":40001}");
        var invalid = api.get("/users/@me", "Bot abc.def.ghi");
        assertThat(invalid.status()).isEqualTo(401);
        assertThat(invalid.json().get("code").asInt()).isEqualTo(50014);
        assertThat(fluxer.get("/users/@me", null).json().get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(fluxer.get("/users/@me", "Bearer abc.def.ghi").json().get("code").asText()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    void someoneElsesGuildIs403() {
        Account owner = api.register("own");
        Account stranger = api.register("strange");
        long guildId = api.createGuild(owner, "Private").get("id").asLong();
        var r = api.get("/guilds/" + guildId, stranger.token());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().toString()).isEqualTo("{\"message\":\"Missing Access\",\"code\":50001}");
        assertThat(fluxer.get("/guilds/" + guildId, stranger.token()).json().get("code").asText()).isEqualTo("MISSING_ACCESS");
    }

    @Test
    void unknownRoutesVersionsAndResourcesAre404Or400() {
        Account a = api.register("lost");
        var route = api.get("/no/such/route", a.token());
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().toString()).isEqualTo("{\"message\":\"404: Not Found\",\"code\":0}");
        assertThat(fluxer.get("/no/such/route", a.token()).json().get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(api.raw("GET", "/not-the-api", null, null, Map.of()).status()).isEqualTo(404);

        for (String version : new String[] {"v8", "v11", "v2", "version10"}) {
            var r = api.version(version).get("/users/@me", a.token());
            assertThat(r.status()).as(version).isEqualTo(400);
            assertThat(r.json().toString()).as(version).isEqualTo("{\"message\":\"Invalid API version provided\",\"code\":50041}");
        }
        var guild = api.get("/guilds/123456789012345678", a.token());
        assertThat(guild.status()).isEqualTo(404);
        assertThat(guild.json().get("code").asInt()).isEqualTo(10004);
        assertThat(fluxer.get("/guilds/123456789012345678", a.token()).json().get("code").asText()).isEqualTo("UNKNOWN_GUILD");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Account a = api.register("method");
        var r = api.delete("/users/@me", a.token());
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("allow")).isEqualTo("GET, HEAD, PATCH");
        assertThat(r.json().toString()).isEqualTo("{\"message\":\"405: Method Not Allowed\",\"code\":0}");
        var login = fluxer.get("/auth/login", null);
        assertThat(login.status()).isEqualTo(405);
        assertThat(login.header("allow")).isEqualTo("POST");
        assertThat(login.json().get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void aBodyOverTheLimitIs413AndTheConnectionCloses() throws IOException {
        Account a = api.register("big");
        // announced by Content-Length: refused before a byte of it is read
        Raw announced = Raw.send(server.server().port(), "POST /api/v10/guilds HTTP/1.1\r\nHost: t\r\nAuthorization: " + a.token()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n", new byte[0]);
        assertThat(announced.status()).isEqualTo(413);
        assertThat(announced.headers()).containsEntry("connection", "close");
        assertThat(announced.json().toString()).isEqualTo("{\"message\":\"Request entity too large\",\"code\":40005}");

        // chunked: refused once the chunks pass the limit
        byte[] chunk = ("{\"name\":\"" + "x".repeat(MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] chunked = concat((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII), chunk,
                "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Raw streamed = Raw.send(server.server().port(), "POST /api/v1/guilds HTTP/1.1\r\nHost: t\r\nAuthorization: " + a.token()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", chunked);
        assertThat(streamed.status()).isEqualTo(413);
        assertThat(streamed.json().get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");

        // exactly the limit is accepted
        String prefix = "{\"name\":\"Exactly\",\"padding\":\"";
        String exact = prefix + "p".repeat(MAX_BODY - prefix.length() - 2) + "\"}";
        assertThat(exact.length()).isEqualTo(MAX_BODY);
        assertThat(api.post("/guilds", a.token(), exact).status()).isEqualTo(201);
        assertThat(api.get("/users/@me/guilds", a.token()).json()).hasSize(1);
    }

    @Test
    void bodiesAreReadAsJsonWhateverTheContentType() throws IOException {
        Account a = api.register("ctype");
        String json = "{\"name\":\"No Type\"}";
        Raw untyped = Raw.send(server.server().port(), "POST /api/v10/guilds HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: "
                + a.token() + "\r\nContent-Length: " + json.length() + "\r\n\r\n", json.getBytes(StandardCharsets.UTF_8));
        assertThat(untyped.status()).isEqualTo(201);
        assertThat(untyped.json().get("name").asText()).isEqualTo("No Type");

        var plain = api.call("POST", "/guilds", a.token(), "{\"name\":\"Plain Type\"}", Map.of());
        assertThat(plain.status()).isEqualTo(201);
        Raw textPlain = Raw.send(server.server().port(), "POST /api/v10/guilds HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: "
                + a.token() + "\r\nContent-Type: text/plain\r\nContent-Length: " + json.length() + "\r\n\r\n",
                json.getBytes(StandardCharsets.UTF_8));
        assertThat(textPlain.status()).isEqualTo(201);
        String form = "name=Form+Guild";
        Raw urlEncoded = Raw.send(server.server().port(), "POST /api/v10/guilds HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: "
                + a.token() + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n",
                form.getBytes(StandardCharsets.UTF_8));
        assertThat(urlEncoded.status()).isEqualTo(400);
        assertThat(urlEncoded.json().get("code").asInt()).isEqualTo(50109);
        assertThat(api.get("/users/@me/guilds", a.token()).json()).hasSize(3);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * One request over a plain socket, for what the JDK client will not send (no Content-Type,
     * an oversized announced length). Reads to end of stream, so it also proves the server closed
     * the connection (the read times out otherwise).
     */
    record Raw(int status, Map<String, String> headers, String body) {
        static Raw send(int port, String head, byte[] body) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int split = all.indexOf("\r\n\r\n");
                String[] lines = all.substring(0, split).split("\r\n");
                Map<String, String> headers = new HashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
                }
                return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, all.substring(split + 4));
            }
        }

        JsonNode json() throws IOException {
            return Json.mapper().readTree(body);
        }
    }
}
