package dev.gatehouse.rest.http;

import static dev.gatehouse.rest.http.Fixture.json;
import static dev.gatehouse.rest.http.Fixture.req;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.rest.ratelimit.RateLimits;
import org.junit.jupiter.api.Test;

/** The dispatcher's HTTP semantics without rate limits and without sockets. */
class ApiDispatcherTest {

    private final Fixture fixture = new Fixture();
    private final ApiDispatcher dispatcher = new ApiDispatcher(fixture.routes(), Fixture.AUTH, RateLimits.none());

    private ApiResponse send(Fixture.Req r) {
        return dispatcher.dispatch(r.build());
    }

    @Test
    void successStatuses() {
        ApiResponse ok = send(req("GET", "/api/v10/things/@me").token("alice-token"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(json(ok).get("user").asText()).isEqualTo("1001");

        ApiResponse created = send(req("POST", "/api/v10/things").token("alice-token").body("{\"name\":\"box\",\"size\":3}"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(json(created).get("size").asInt()).isEqualTo(3);

        ApiResponse none = send(req("DELETE", "/api/v10/things/5").token("alice-token"));
        assertThat(none.status()).isEqualTo(204);
        assertThat(none.body()).isNull();
        assertThat(none.raw()).isNull();
        assertThat(none.contentType()).isNull();
    }

    @Test
    void everyTokenShapeIsAccepted() {
        for (String header : new String[] {"alice-token", "Bot alice-token", "bot alice-token", "Bearer alice-token", "  Bearer   alice-token "}) {
            assertThat(send(req("GET", "/api/v9/things/@me").token(header)).status()).as(header).isEqualTo(200);
        }
        assertThat(ApiDispatcher.bearer(null)).isNull();
        assertThat(ApiDispatcher.bearer("   ")).isNull();
    }

    @Test
    void etagGives304UntilTheResourceChanges() {
        ApiResponse first = send(req("GET", "/api/v10/things/@me").token("alice-token"));
        String etag = first.headers().get("ETag");
        assertThat(etag).matches("W/\"[0-9a-f]{32}\"");

        ApiResponse again = send(req("GET", "/api/v10/things/@me").token("alice-token").header("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.raw()).isEmpty();
        assertThat(again.headers().get("ETag")).isEqualTo(etag);
        // a list of tags, the strong form of the same tag and * all match
        assertThat(send(req("GET", "/api/v10/things/@me").token("alice-token").header("If-None-Match", "\"zzz\", " + etag)).status())
                .isEqualTo(304);
        assertThat(send(req("GET", "/api/v10/things/@me").token("alice-token").header("If-None-Match", etag.substring(2))).status())
                .isEqualTo(304);
        assertThat(send(req("GET", "/api/v10/things/@me").token("alice-token").header("If-None-Match", "*")).status()).isEqualTo(304);
        assertThat(send(req("GET", "/api/v10/things/@me").token("alice-token").header("If-None-Match", "W/\"other\"")).status())
                .isEqualTo(200);

        send(req("PATCH", "/api/v10/things/@me").token("alice-token"));
        ApiResponse changed = send(req("GET", "/api/v10/things/@me").token("alice-token").header("If-None-Match", etag));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.headers().get("ETag")).isNotEqualTo(etag);
        assertThat(json(changed).get("version").asInt()).isEqualTo(1);
    }

    @Test
    void headRunsTheGetRouteWithTheSameEtag() {
        ApiResponse get = send(req("GET", "/api/v10/things/@me").token("alice-token"));
        ApiResponse head = send(req("HEAD", "/api/v10/things/@me").token("alice-token"));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers().get("ETag")).isEqualTo(get.headers().get("ETag"));
        assertThat(send(req("HEAD", "/api/v10/things/@me").token("alice-token").header("If-None-Match", get.headers().get("ETag"))).status())
                .isEqualTo(304);
        assertThat(send(req("HEAD", "/api/v10/things/@me")).status()).as("HEAD needs a token as GET does").isEqualTo(401);
    }

    @Test
    void notFoundAndUnknownVersions() {
        ApiResponse missing = send(req("GET", "/api/v10/nothing/here").token("alice-token"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(json(missing).toString()).isEqualTo("{\"message\":\"404: Not Found\",\"code\":0}");
        assertThat(json(send(req("GET", "/api/v1/nothing"))).get("code").asText()).isEqualTo("NOT_FOUND");

        for (String path : new String[] {"/api/v8/things/@me", "/api/v11/things/@me", "/api/vx/things", "/api/things/@me", "/api/", "/api/v1000/x"}) {
            ApiResponse r = send(req("GET", path).token("alice-token"));
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(json(r).get("code").asInt()).as(path).isEqualTo(50041);
        }
        assertThat(send(req("GET", "/elsewhere")).status()).isEqualTo(404);
    }

    @Test
    void wrongMethodIs405WithAllow() {
        ApiResponse r = send(req("PUT", "/api/v10/things/@me").token("alice-token"));
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers().get("Allow")).isEqualTo("GET, HEAD, PATCH");
        assertThat(json(r).toString()).isEqualTo("{\"message\":\"405: Method Not Allowed\",\"code\":0}");
        assertThat(json(send(req("GET", "/api/v1/login"))).get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(send(req("GET", "/api/v1/login")).headers().get("Allow")).isEqualTo("POST");
        // 405 comes before authentication: the path exists whoever asks
        assertThat(send(req("OPTIONS", "/api/v10/things/@me")).status()).isEqualTo(405);
    }

    @Test
    void systemRoutesAnswerGetAndHeadOnly() {
        dispatcher.system("/healthz", () -> ApiResponse.ok(java.util.Map.of("status", "ok")));
        assertThat(send(req("GET", "/healthz")).status()).isEqualTo(200);
        assertThat(send(req("HEAD", "/healthz")).status()).isEqualTo(200);
        ApiResponse post = send(req("POST", "/healthz"));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers().get("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void missingAndInvalidTokensAre401InBothDialects() {
        ApiResponse none = send(req("GET", "/api/v10/things/@me"));
        assertThat(none.status()).isEqualTo(401);
        assertThat(json(none).toString()).isEqualTo("{\"message\":\"401: Unauthorized\",\"code\":40001}");
        ApiResponse bad = send(req("GET", "/api/v10/things/@me").token("Bot forged"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(json(bad).get("code").asInt()).isEqualTo(50014);
        assertThat(json(send(req("GET", "/api/v1/things/@me"))).get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(json(send(req("GET", "/api/v1/things/@me").token("forged"))).get("code").asText()).isEqualTo("INVALID_TOKEN");
        // an open route works without a token, but a token given must be valid
        assertThat(json(send(req("GET", "/api/v10/public"))).get("who").asText()).isEqualTo("anon");
        assertThat(json(send(req("GET", "/api/v10/public").token("bob-token"))).get("who").asText()).isEqualTo("user");
        assertThat(send(req("GET", "/api/v10/public").token("forged")).status()).isEqualTo(401);
    }

    @Test
    void refusalsFromRoutesKeepTheirStatusAndCode() {
        ApiResponse r = send(req("GET", "/api/v10/guilds/1/secret").token("alice-token"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(json(r).toString()).isEqualTo("{\"message\":\"Missing Permissions\",\"code\":50013}");
        assertThat(json(send(req("GET", "/api/v1/guilds/1/secret").token("alice-token"))).get("code").asText())
                .isEqualTo("MISSING_PERMISSIONS");
    }

    @Test
    void badBodiesAre400WithTheRightCode() {
        ApiResponse invalid = send(req("POST", "/api/v10/things").token("alice-token").body("{\"name\": "));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(json(invalid).toString()).isEqualTo("{\"message\":\"The request body contains invalid JSON.\",\"code\":50109}");
        assertThat(json(send(req("POST", "/api/v1/things").token("alice-token").body("not json"))).get("code").asText())
                .isEqualTo("INVALID_JSON");
        assertThat(send(req("POST", "/api/v10/things").token("alice-token").body("{\"name\":\"box\"} {}")).status())
                .as("trailing data").isEqualTo(400);

        ApiResponse fields = send(req("POST", "/api/v10/things").token("alice-token").body("{\"name\": 5, \"size\": \"big\"}"));
        assertThat(fields.status()).isEqualTo(400);
        JsonNode body = json(fields);
        assertThat(body.get("code").asInt()).isEqualTo(50035);
        assertThat(body.get("message").asText()).isEqualTo("Invalid Form Body");
        assertThat(body.at("/errors/name/_errors/0/code").asText()).isNotEmpty();
        assertThat(body.at("/errors/name/_errors/0/message").asText()).isNotEmpty();
        assertThat(body.at("/errors/size/_errors/0/code").asText()).isNotEmpty();
        assertThat(fixture.runs("create")).as("nothing created").isZero();

        ApiResponse notObject = send(req("POST", "/api/v1/things").token("alice-token").body("[1,2]"));
        assertThat(json(notObject).get("code").asText()).isEqualTo("INVALID_FORM_BODY");
        assertThat(json(notObject).at("/errors/_errors/0/code").asText()).isEqualTo("DICT_TYPE_CONVERT");
        assertThat(send(req("POST", "/api/v10/things").token("alice-token").body(" {\"name\":\"box\"}\r\n")).status())
                .as("surrounding whitespace is fine").isEqualTo(201);
    }

    @Test
    void bodiesAreJsonWhateverTheContentTypeSays() {
        assertThat(send(req("POST", "/api/v10/things").token("alice-token").body("{\"name\":\"box\"}")).status()).isEqualTo(201);
        assertThat(send(req("POST", "/api/v10/things").token("alice-token").header("Content-Type", "text/plain")
                .body("{\"name\":\"box\"}")).status()).isEqualTo(201);
        assertThat(send(req("POST", "/api/v10/things").token("alice-token").header("Content-Type", "application/x-www-form-urlencoded")
                .body("name=box")).status()).isEqualTo(400);
    }

    @Test
    void aBugInARouteIs500WithoutDetails() {
        ApiResponse r = send(req("GET", "/api/v10/boom").token("alice-token"));
        assertThat(r.status()).isEqualTo(500);
        assertThat(json(r).toString()).isEqualTo("{\"message\":\"500: Internal Server Error\",\"code\":0}");
        assertThat(json(send(req("GET", "/api/v1/boom").token("alice-token"))).get("code").asText()).isEqualTo("INTERNAL_ERROR");
    }

    /** A missing component is nobody's bug and not the client's: 502, try again after a while. */
    @Test
    void aMissingComponentIs502WithRetryAfter() {
        ApiResponse lease = send(req("GET", "/api/v10/lease").token("alice-token"));
        assertThat(lease.status()).isEqualTo(502);
        assertThat(lease.headers()).containsEntry("Retry-After", "5");
        assertThat(json(lease).get("message").asText()).contains("worker id lease");
        assertThat(json(lease).get("retry_after").asInt()).isEqualTo(5);
        ApiResponse database = send(req("GET", "/api/v10/database").token("alice-token"));
        assertThat(database.status()).isEqualTo(502);
        assertThat(json(database).get("message").asText()).contains("database");
        assertThat(send(req("GET", "/api/v10/boom").token("alice-token")).status()).as("a bug stays a 500").isEqualTo(500);
    }

    @Test
    void noRateLimitHeadersWhenLimitsAreOff() {
        ApiResponse r = send(req("GET", "/api/v10/things/@me").token("alice-token"));
        assertThat(r.headers().keySet()).noneMatch(h -> h.startsWith("X-RateLimit"));
    }

    @Test
    void bearerTokensReachOnlyTheRoutesOfTheirScopes() {
        ApiResponse me = send(req("GET", "/api/v10/things/@me").header("authorization", "Bearer alice-bearer"));
        assertThat(me.status()).isEqualTo(200);
        ApiResponse patch = send(req("PATCH", "/api/v10/things/@me").header("authorization", "Bearer alice-bearer"));
        assertThat(patch.status()).isEqualTo(401);
        assertThat(json(patch).get("code").asInt()).isEqualTo(40001);
        assertThat(fixture.runs("patch")).as("refused before the route ran").isZero();
        assertThat(send(req("PATCH", "/api/v10/things/@me").token("alice-token")).status()).as("her own token has no limit").isEqualTo(200);
    }

    @Test
    void clientAuthenticatedRoutesIgnoreWhatLibrariesPutInAuthorization() {
        for (String authorization : new String[] {"Bearer null", "Bot this-is-a-dummy", "Basic YTpi", "nonsense"}) {
            ApiResponse r = send(req("POST", "/api/v10/token").header("authorization", authorization));
            assertThat(r.status()).as(authorization).isEqualTo(200);
            assertThat(json(r).get("who").asText()).isEqualTo("client");
        }
        assertThat(ApiDispatcher.bearer("Basic YTpi")).as("Basic is client authentication, never a token").isNull();
        assertThat(send(req("GET", "/api/v10/things/@me").header("authorization", "Basic YTpi")).status()).isEqualTo(401);
    }
}
