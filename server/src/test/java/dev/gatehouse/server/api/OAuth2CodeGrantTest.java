package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.MembershipFixtures.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ApiClient.Response;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OAuth2 authorisation-code grant, the token endpoint's grants, revocation and scoped bearer tokens. */
class OAuth2CodeGrantTest {

    static final ManualClock clock = new ManualClock();
    static final String REDIRECT = "https://app.example/callback";
    static TestServer server;
    static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withRateLimits(false), clock);
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        server.events().clear();
    }

    /** An application with a secret and a registered redirect URI. */
    record App(long id, String secret, Account owner) {}

    static App app(String name) {
        Account owner = api.register("dev");
        Account bot = api.createBot(owner, name);
        Response patched = api.patch("/applications/" + bot.id(), owner.token(), Map.of("redirect_uris", List.of(REDIRECT)));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("redirect_uris").get(0).asText()).isEqualTo(REDIRECT);
        Response reset = api.post("/applications/" + bot.id() + "/reset", owner.token(), null);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.header("Cache-Control")).isEqualTo("no-store");
        return new App(bot.id(), reset.json().get("secret").asText(), owner);
    }

    static String authorizeQuery(App app, String scope, String redirect, String state) {
        StringBuilder q = new StringBuilder("response_type=code&client_id=" + app.id() + "&scope=" + enc(scope));
        if (redirect != null) {
            q.append("&redirect_uri=").append(enc(redirect));
        }
        if (state != null) {
            q.append("&state=").append(enc(state));
        }
        return q.toString();
    }

    /** The person approves; returns the code from the location they are sent to. */
    static String approve(Account person, App app, String scope) {
        Response r = api.post("/oauth2/authorize?" + authorizeQuery(app, scope, REDIRECT, "s1"), person.token(), Map.of("authorize", true));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        Map<String, String> q = queryOf(r.json().get("location").asText());
        assertThat(q).containsEntry("state", "s1");
        return q.get("code");
    }

    static Response token(App app, Map<String, String> params) {
        String basic = Base64.getEncoder().encodeToString((app.id() + ":" + app.secret()).getBytes(StandardCharsets.UTF_8));
        return form("/oauth2/token", params, Map.of("Authorization", "Basic " + basic));
    }

    static Response form(String path, Map<String, String> params, Map<String, String> headers) {
        String body = params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return api.call("POST", path, null, body, all);
    }

    static JsonNode exchange(App app, String code) {
        Response r = token(app, Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    static String bearer(JsonNode tokens) {
        return "Bearer " + tokens.get("access_token").asText();
    }

    @Test
    void aPersonGrantsScopesAndTheApplicationActsWithinThem() {
        App app = app("Grantee");
        Account person = registerWithEmail("granting_person");
        long guild = api.createGuild(person, "Mine").get("id").asLong();

        Response page = api.get("/oauth2/authorize?" + authorizeQuery(app, "identify guilds", REDIRECT, "xyz"), person.token());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().get("application").get("id").asText()).isEqualTo(Long.toString(app.id()));
        assertThat(page.json().get("redirect_uri").asText()).isEqualTo(REDIRECT);
        assertThat(page.json().get("scopes")).extracting(JsonNode::asText).containsExactly("identify", "guilds");

        Response approved = api.post("/oauth2/authorize?" + authorizeQuery(app, "identify guilds", REDIRECT, "xyz"), person.token(),
                Map.of("authorize", true));
        String location = approved.json().get("location").asText();
        assertThat(location).startsWith(REDIRECT + "?code=");
        String code = queryOf(location).get("code");
        assertThat(queryOf(location)).containsEntry("state", "xyz");

        JsonNode tokens = exchange(app, code);
        assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(604_800);
        assertThat(tokens.get("refresh_token").asText()).isNotEmpty();
        assertThat(tokens.get("scope").asText()).isEqualTo("guilds identify");

        Response me = api.get("/users/@me", bearer(tokens));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("id").asText()).isEqualTo(Long.toString(person.id()));
        assertThat(me.json().has("email")).as("no email scope").isFalse();
        assertThat(api.get("/users/@me", person.token()).json().get("email").asText()).as("the person's own token sees it")
                .isEqualTo(person.username() + "@example.org");
        Response guilds = api.get("/users/@me/guilds", bearer(tokens));
        assertThat(guilds.status()).isEqualTo(200);
        assertThat(guilds.json()).extracting(g -> g.get("id").asLong()).containsExactly(guild);

        assertError(api.get("/guilds/" + guild, bearer(tokens)), 401, 40001);
        assertError(api.post("/guilds", bearer(tokens), Map.of("name", "nope")), 401, 40001);
        assertError(api.get("/users/@me/guilds/" + guild + "/member", bearer(tokens)), 401, 40001);

        Response grant = api.get("/oauth2/@me", bearer(tokens));
        assertThat(grant.status()).isEqualTo(200);
        assertThat(grant.json().get("application").get("id").asText()).isEqualTo(Long.toString(app.id()));
        assertThat(grant.json().get("scopes")).extracting(JsonNode::asText).containsExactly("guilds", "identify");
        assertThat(grant.json().get("user").get("id").asText()).isEqualTo(Long.toString(person.id()));
        assertThat(grant.json().get("expires").asText()).endsWith("Z");
        assertError(api.get("/oauth2/@me", person.token()), 401, 40001);

        Response again = token(app, Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT));
        assertOAuth2Error(again, 400, "invalid_grant");

        try (GatewayTestClient gateway = GatewayTestClient.connect(URI.create(server.baseUrl().replaceFirst("^http", "ws")), "v=10")) {
            gateway.next(java.time.Duration.ofSeconds(5));
            gateway.identify(tokens.get("access_token").asText(), 1);
            assertThat(gateway.awaitClose(java.time.Duration.ofSeconds(5)).code()).as("the gateway takes no OAuth2 token").isEqualTo(4004);
        }
    }

    @Test
    void scopesDecideWhatATokenReads() {
        App app = app("Scoped");
        Account person = registerWithEmail("scoped_person");
        long guild = api.createGuild(person, "Scoped").get("id").asLong();
        JsonNode emailOnly = exchange(app, approve(person, app, "email"));
        assertError(api.get("/users/@me", bearer(emailOnly)), 401, 40001); // identify is what reads the user, as on Discord
        JsonNode tokens = exchange(app, approve(person, app, "identify email guilds.members.read"));
        Response me = api.get("/users/@me", bearer(tokens));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("email").asText()).isEqualTo("scoped_person@example.org");
        Response member = api.get("/users/@me/guilds/" + guild + "/member", bearer(tokens));
        assertThat(member.status()).isEqualTo(200);
        assertThat(member.json().get("user").get("id").asText()).isEqualTo(Long.toString(person.id()));
        assertError(api.get("/users/@me/guilds", bearer(tokens)), 401, 40001);
        assertThat(api.get("/oauth2/@me", bearer(emailOnly)).json().has("user")).as("no identify scope").isFalse();
    }

    @Test
    void theTokenEndpointAnswersEveryMistakeInOAuth2sShape() {
        App app = app("Strict");
        App other = app("Other");
        Account person = api.register("strict");

        Response wrongSecret = token(new App(app.id(), "wrong", app.owner()), Map.of("grant_type", "authorization_code", "code", "x"));
        assertOAuth2Error(wrongSecret, 401, "invalid_client");
        assertThat(wrongSecret.header("WWW-Authenticate")).startsWith("Basic");
        assertOAuth2Error(form("/oauth2/token", Map.of("grant_type", "authorization_code", "code", "x"), Map.of()), 401, "invalid_client");
        assertOAuth2Error(form("/oauth2/token", Map.of("grant_type", "authorization_code", "code", "x", "client_id", "abc",
                "client_secret", "s"), Map.of()), 401, "invalid_client");
        assertOAuth2Error(token(app, Map.of()), 400, "invalid_request");
        assertOAuth2Error(token(app, Map.of("grant_type", "password")), 400, "unsupported_grant_type");
        assertOAuth2Error(token(app, Map.of("grant_type", "authorization_code")), 400, "invalid_request");
        assertOAuth2Error(token(app, Map.of("grant_type", "authorization_code", "code", "unknown")), 400, "invalid_grant");

        // a code presented by another client gives it nothing, and stays the rightful client's
        String forOther = approve(person, other, "identify");
        assertOAuth2Error(token(app, Map.of("grant_type", "authorization_code", "code", forOther, "redirect_uri", REDIRECT)),
                400, "invalid_grant");
        assertThat(token(other, Map.of("grant_type", "authorization_code", "code", forOther, "redirect_uri", REDIRECT)).status())
                .isEqualTo(200);

        String mismatched = approve(person, app, "identify");
        assertOAuth2Error(token(app, Map.of("grant_type", "authorization_code", "code", mismatched, "redirect_uri", "https://evil.example/")),
                400, "invalid_grant");

        String late = approve(person, app, "identify");
        clock.advance(11 * 60_000L);
        assertOAuth2Error(token(app, Map.of("grant_type", "authorization_code", "code", late, "redirect_uri", REDIRECT)),
                400, "invalid_grant");

        // client credentials in a JSON body work too, as lenient clients send them; an Authorization
        // that is not Basic is a library's placeholder (discord-rpc sends "Bearer null"), not a user's token
        String code = approve(person, app, "identify");
        Response json = api.post("/oauth2/token", "Bearer null", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "client_id", Long.toString(app.id()), "client_secret", app.secret()));
        assertThat(json.status()).as(json.text()).isEqualTo(200);
        assertThat(json.header("Cache-Control")).isEqualTo("no-store");

        // an application that never made a secret cannot authenticate with an empty one
        Account owner = api.register("nosecret");
        Account bot = api.createBot(owner, "NoSecret");
        assertOAuth2Error(form("/oauth2/token", Map.of("grant_type", "client_credentials", "scope", "identify",
                "client_id", Long.toString(bot.id()), "client_secret", ""), Map.of()), 401, "invalid_client");
    }

    @Test
    void refreshTokensRotateAndAccessTokensExpire() {
        App app = app("Fresh");
        Account person = api.register("fresh");
        JsonNode first = exchange(app, approve(person, app, "identify guilds"));

        clock.advance(7 * 24 * 3_600_000L);
        assertError(api.get("/users/@me", bearer(first)), 401, 50014);

        Response refreshed = token(app, Map.of("grant_type", "refresh_token", "refresh_token", first.get("refresh_token").asText()));
        assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(200);
        JsonNode second = refreshed.json();
        assertThat(second.get("access_token").asText()).isNotEqualTo(first.get("access_token").asText());
        assertThat(api.get("/users/@me", bearer(second)).status()).isEqualTo(200);
        assertOAuth2Error(token(app, Map.of("grant_type", "refresh_token", "refresh_token", first.get("refresh_token").asText())),
                400, "invalid_grant");

        assertOAuth2Error(token(app, Map.of("grant_type", "refresh_token", "refresh_token", second.get("refresh_token").asText(),
                "scope", "identify email")), 400, "invalid_scope");
        Response narrowed = token(app, Map.of("grant_type", "refresh_token", "refresh_token", second.get("refresh_token").asText(),
                "scope", "identify"));
        assertThat(narrowed.json().get("scope").asText()).isEqualTo("identify");
        assertThat(server.events().of(DispatchType.OAUTH2_TOKEN_REVOKE)).as("each rotation ends the grant before it").hasSize(2)
                .allSatisfy(e -> assertThat(e.userIds()).containsExactly(person.id()));
        assertError(api.get("/users/@me/guilds", bearer(narrowed.json())), 401, 40001);
        assertError(api.get("/users/@me", bearer(second)), 401, 50014);

        App thief = app("Thief");
        assertOAuth2Error(token(thief, Map.of("grant_type", "refresh_token", "refresh_token", narrowed.json().get("refresh_token").asText())),
                400, "invalid_grant");
    }

    @Test
    void clientCredentialsGiveTheOwnerATokenWithoutRefresh() {
        App app = app("Creds");
        Response r = token(app, Map.of("grant_type", "client_credentials", "scope", "identify"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().has("refresh_token")).isFalse();
        assertThat(api.get("/users/@me", bearer(r.json())).json().get("id").asLong()).isEqualTo(app.owner().id());
        assertOAuth2Error(token(app, Map.of("grant_type", "client_credentials", "scope", "rpc")), 400, "invalid_scope");
        assertOAuth2Error(token(app, Map.of("grant_type", "client_credentials")), 400, "invalid_scope");
    }

    @Test
    void revocationEndsTheGrantAndTellsThePersonsOwnSessions() {
        App app = app("Revoked");
        App other = app("Bystander");
        Account person = api.register("revoker");
        JsonNode tokens = exchange(app, approve(person, app, "identify"));

        // someone else's token, an unknown one: 200 and nothing happens (RFC 7009 2.2)
        Response foreign = form("/oauth2/token/revoke", Map.of("token", tokens.get("access_token").asText(),
                "client_id", Long.toString(other.id()), "client_secret", other.secret()), Map.of());
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(api.get("/users/@me", bearer(tokens)).status()).isEqualTo(200);
        assertThat(token(app, Map.of("grant_type", "refresh_token", "refresh_token", "x")).status()).isEqualTo(400);
        assertThat(server.events().of(DispatchType.OAUTH2_TOKEN_REVOKE)).isEmpty();

        Response revoked = form("/oauth2/token/revoke", Map.of("token", tokens.get("refresh_token").asText(), "token_type_hint", "refresh_token",
                "client_id", Long.toString(app.id()), "client_secret", app.secret()), Map.of());
        assertThat(revoked.status()).isEqualTo(200);
        assertError(api.get("/users/@me", bearer(tokens)), 401, 50014);
        List<GatewayEvent> events = server.events().of(DispatchType.OAUTH2_TOKEN_REVOKE);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().userIds()).containsExactly(person.id());
        assertThat(MembershipFixtures.data(events.getFirst()).get("application_id").asText()).isEqualTo(Long.toString(app.id()));

        Response twice = form("/oauth2/token/revoke", Map.of("token", tokens.get("access_token").asText(),
                "client_id", Long.toString(app.id()), "client_secret", app.secret()), Map.of());
        assertThat(twice.status()).isEqualTo(200);
        assertThat(server.events().of(DispatchType.OAUTH2_TOKEN_REVOKE)).hasSize(1);
        assertOAuth2Error(form("/oauth2/token/revoke", Map.of("client_id", Long.toString(app.id()), "client_secret", app.secret()), Map.of()),
                400, "invalid_request");
    }

    @Test
    void aPersonSeesAndEndsTheirAuthorisations() {
        App app = app("Listed");
        Account person = api.register("lister");
        Account stranger = api.register("stranger");
        JsonNode tokens = exchange(app, approve(person, app, "identify guilds"));

        Response list = api.get("/oauth2/tokens", person.token());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(1);
        JsonNode entry = list.json().get(0);
        assertThat(entry.get("application").get("id").asText()).isEqualTo(Long.toString(app.id()));
        assertThat(entry.get("scopes")).extracting(JsonNode::asText).containsExactly("guilds", "identify");
        assertError(api.get("/oauth2/tokens", bearer(tokens)), 401, 40001);

        String id = entry.get("id").asText();
        assertError(api.delete("/oauth2/tokens/" + id, stranger.token()), 404, 10012);
        assertThat(api.delete("/oauth2/tokens/" + id, person.token()).status()).isEqualTo(204);
        assertError(api.get("/users/@me", bearer(tokens)), 401, 50014);
        assertThat(server.events().of(DispatchType.OAUTH2_TOKEN_REVOKE)).hasSize(1);
        assertThat(api.get("/oauth2/tokens", person.token()).json()).isEmpty();
    }

    @Test
    void theAuthorisationPageRefusesWhatItCannotGrant() {
        App app = app("Careful");
        Account person = api.register("careful");

        Response unregistered = api.post("/oauth2/authorize?" + authorizeQuery(app, "identify", "https://evil.example/cb", null),
                person.token(), Map.of("authorize", true));
        assertError(unregistered, 400, 50035);
        assertThat(unregistered.json().at("/errors/redirect_uri/_errors/0/code").asText()).isEqualTo("REDIRECT_URI_INVALID");
        assertError(api.get("/oauth2/authorize?response_type=token&client_id=" + app.id() + "&scope=identify", person.token()), 400, 50035);
        assertError(api.get("/oauth2/authorize?" + authorizeQuery(app, "identify admin", null, null), person.token()), 400, 50035);
        assertError(api.get("/oauth2/authorize?response_type=code&client_id=1&scope=identify", person.token()), 404, 10002);

        Response denied = api.post("/oauth2/authorize?" + authorizeQuery(app, "identify", REDIRECT, "st"), person.token(),
                Map.of("authorize", false));
        assertThat(denied.json().get("location").asText()).isEqualTo(REDIRECT + "?error=access_denied&state=st");

        // no redirect named: the registered one; none registered: the landing page, as the RPC server uses it
        Response implied = api.post("/oauth2/authorize?" + authorizeQuery(app, "identify", null, null), person.token(), Map.of("authorize", true));
        assertThat(implied.json().get("location").asText()).startsWith(REDIRECT + "?code=");
        Response emptyNamed = api.post("/oauth2/authorize?" + authorizeQuery(app, "identify", "", null), person.token(), Map.of("authorize", true));
        String emptyCode = queryOf(emptyNamed.json().get("location").asText()).get("code");
        assertThat(token(app, Map.of("grant_type", "authorization_code", "code", emptyCode)).status())
                .as("an empty redirect_uri names none, so the exchange need not repeat it").isEqualTo(200);
        api.patch("/applications/" + app.id(), app.owner().token(), Map.of("redirect_uris", List.of()));
        Response landing = api.post("/oauth2/authorize?" + authorizeQuery(app, "rpc identify", null, null), person.token(), Map.of("authorize", true));
        String code = queryOf(landing.json().get("location").asText()).get("code");
        assertThat(landing.json().get("location").asText()).startsWith("/oauth2/authorized?code=");
        Response exchanged = token(app, Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", "undefined"));
        assertThat(exchanged.status()).as("a code issued without a redirect URI ignores the exchange's").isEqualTo(200);

        JsonNode tokens = exchanged.json();
        assertError(api.get("/oauth2/authorize?" + authorizeQuery(app, "identify", null, null), bearer(tokens)), 401, 40001);
    }

    @Test
    void applicationsKeepTheirOAuth2Settings() {
        App app = app("Settings");
        Account stranger = api.register("notowner");
        assertError(api.patch("/applications/" + app.id(), app.owner().token(), Map.of("redirect_uris", List.of("not a uri"))), 400, 50035);
        assertError(api.patch("/applications/" + app.id(), app.owner().token(), Map.of("redirect_uris", List.of("https://a.example/#frag"))),
                400, 50035);
        assertError(api.patch("/applications/" + app.id(), app.owner().token(), Map.of("rpc_origins", List.of("https://a.example/path"))),
                400, 50035);
        assertError(api.patch("/applications/" + app.id(), app.owner().token(), Map.of("rpc_origins", "https://a.example")), 400, 50035);
        for (String unsafe : List.of("javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd")) {
            assertError(api.patch("/applications/" + app.id(), app.owner().token(), Map.of("redirect_uris", List.of(unsafe))), 400, 50035);
        }
        assertThat(api.patch("/applications/" + app.id(), app.owner().token(), Map.of("redirect_uris", List.of(REDIRECT, "chessapp://oauth")))
                .status()).as("an application's own scheme").isEqualTo(200);
        Response ok = api.patch("/applications/" + app.id(), app.owner().token(), Map.of("rpc_origins", List.of("https://a.example/",
                "http://localhost:3000")));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("redirect_uris")).hasSize(2);
        assertThat(ok.json().get("rpc_origins").get(0).asText()).as("as browsers send Origin").isEqualTo("https://a.example");

        Response rpc = api.get("/applications/" + app.id() + "/rpc", stranger.token());
        assertThat(rpc.status()).isEqualTo(200);
        assertThat(rpc.json().get("name").asText()).isEqualTo("Settings");
        assertThat(rpc.json().get("rpc_origins")).extracting(JsonNode::asText).containsExactly("https://a.example", "http://localhost:3000");
        assertThat(rpc.json().has("redirect_uris")).isFalse();
        assertError(api.get("/applications/1/rpc", stranger.token()), 404, 10002);

        assertError(api.post("/applications/" + app.id() + "/reset", stranger.token(), null), 403, 50001);
        String newSecret = api.post("/applications/" + app.id() + "/reset", app.owner().token(), null).json().get("secret").asText();
        assertOAuth2Error(token(app, Map.of("grant_type", "client_credentials", "scope", "identify")), 401, "invalid_client");
        assertThat(token(new App(app.id(), newSecret, app.owner()), Map.of("grant_type", "client_credentials", "scope", "identify")).status())
                .isEqualTo(200);
    }

    static Account registerWithEmail(String username) {
        Response r = api.post("/auth/register", null, Map.of("username", username, "password", "password-" + username,
                "email", username + "@example.org"));
        assertThat(r.status()).isEqualTo(201);
        return new Account(r.json().get("user_id").asLong(), r.json().get("token").asText(), username);
    }

    static void assertOAuth2Error(Response r, int status, String error) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).isEqualTo(error);
        assertThat(r.json().get("error_description").asText()).isNotEmpty();
    }

    static Map<String, String> queryOf(String location) {
        String query = URI.create(location).getRawQuery();
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
