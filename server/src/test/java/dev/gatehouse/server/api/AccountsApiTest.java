package dev.gatehouse.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountsApiTest extends ServerPerClass {

    @Test
    void registerLoginAndMe() {
        var r = api.post("/auth/register", null, Map.of("username", "carol_1", "password", "hunter2hunter2", "email", "carol@example.org"));
        assertThat(r.status()).isEqualTo(201);
        String token = r.json().get("token").asText();
        long id = r.json().get("user_id").asLong();
        // Discord's token shape: the first part is base64 of the user id
        assertThat(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]))).isEqualTo(Long.toString(id));

        var login = api.post("/auth/login", null, Map.of("login", "CAROL_1", "password", "hunter2hunter2"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("user_id").asText()).isEqualTo(Long.toString(id));
        var byEmail = api.post("/auth/login", null, Map.of("login", "carol@example.org", "password", "hunter2hunter2"));
        assertThat(byEmail.status()).isEqualTo(200);

        for (String t : new String[] {token, login.json().get("token").asText(), "Bearer " + token}) {
            var me = api.get("/users/@me", t);
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("id").asText()).isEqualTo(Long.toString(id));
            assertThat(me.json().get("email").asText()).isEqualTo("carol@example.org");
        }
        var other = api.register("dave");
        var seen = api.get("/users/" + id, other.token());
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.json().get("username").asText()).isEqualTo("carol_1");
        assertThat(seen.json().has("email")).isFalse();
    }

    @Test
    void wrongPasswordAndUnknownLoginGetTheSameAnswer() {
        Account a = api.register("erin");
        var wrong = api.post("/auth/login", null, Map.of("login", a.username(), "password", "not-the-password"));
        var unknown = api.post("/auth/login", null, Map.of("login", "nobody_here", "password", "not-the-password"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("code").asInt()).isEqualTo(50035);
        assertThat(wrong.json().at("/errors/login/_errors/0/code").asText()).isEqualTo("INVALID_LOGIN");
        assertThat(unknown.text()).isEqualTo(wrong.text());
    }

    @Test
    void registrationValidatesEveryField() {
        var r = api.post("/auth/register", null, Map.of("username", "x", "password", 12345, "email", "not-an-email"));
        assertThat(r.status()).isEqualTo(400);
        JsonNode errors = r.json().get("errors");
        assertThat(errors.at("/username/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(errors.at("/password/_errors/0/code").asText()).isEqualTo("STRING_TYPE_CONVERT");
        assertThat(errors.at("/email/_errors/0/code").asText()).isEqualTo("EMAIL_TYPE_INVALID_EMAIL");

        Account taken = api.register("frank");
        var dup = api.post("/auth/register", null, Map.of("username", taken.username().toUpperCase(), "password", "long enough pw"));
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.json().at("/errors/username/_errors/0/code").asText()).isEqualTo("USERNAME_ALREADY_TAKEN");
    }

    @Test
    void missingForgedAndMalformedTokensAre401() {
        var none = api.get("/users/@me", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("code").asInt()).isEqualTo(40001);

        Account a = api.register("gina");
        String[] parts = a.token().split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + "A".repeat(parts[2].length());
        for (String bad : new String[] {forged, "garbage", "a.b.c", "Bot " + forged}) {
            var r = api.get("/users/@me", bad);
            assertThat(r.status()).as(bad).isEqualTo(401);
            assertThat(r.json().get("code").asInt()).isEqualTo(50014);
        }
        var fluxer = api.version("v1").get("/users/@me", forged);
        assertThat(fluxer.json().get("code").asText()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    void patchMeRenamesAndPublishesUserUpdate() {
        Account a = api.register("hank");
        server.events().clear();
        var r = api.patch("/users/@me", a.token(), Map.of("username", a.username() + "_x", "global_name", "Hank"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("global_name").asText()).isEqualTo("Hank");
        var events = server.events().of(DispatchType.USER_UPDATE);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().userIds()).containsExactly(a.id());

        Account b = api.register("ivan");
        var clash = api.patch("/users/@me", b.token(), Map.of("username", a.username() + "_x"));
        assertThat(clash.status()).isEqualTo(400);
        assertThat(api.get("/users/@me", b.token()).json().get("username").asText()).isEqualTo(b.username());
    }

    @Test
    void applicationsBotTokensFlagsAndReset() {
        Account owner = api.register("owner");
        var created = api.post("/applications", owner.token(), Map.of("name", "Helper Bot"));
        assertThat(created.status()).isEqualTo(201);
        long appId = created.json().get("id").asLong();
        assertThat(created.json().at("/bot/id").asLong()).isEqualTo(appId);
        assertThat(created.json().at("/bot/bot").asBoolean()).isTrue();

        var reset = api.post("/applications/" + appId + "/bot/reset", owner.token(), null);
        String token = reset.json().get("token").asText();
        assertThat(api.get("/users/@me", "Bot " + token).json().get("bot").asBoolean()).isTrue();
        var mine = api.get("/applications/@me", "Bot " + token);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().get("id").asLong()).isEqualTo(appId);
        assertThat(api.get("/oauth2/applications/@me", "Bot " + token).status()).isEqualTo(200);
        assertThat(api.get("/applications/@me", owner.token()).status()).isEqualTo(403);

        int intents = (1 << 12) | (1 << 14) | (1 << 18);
        var patched = api.patch("/applications/" + appId, owner.token(), Map.of("flags", intents));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("flags").asInt()).isEqualTo(intents);
        var badFlags = api.patch("/applications/" + appId, owner.token(), Map.of("flags", 1));
        assertThat(badFlags.status()).isEqualTo(400);

        Account stranger = api.register("stranger");
        assertThat(api.patch("/applications/" + appId, stranger.token(), Map.of("flags", 0)).json().get("code").asInt()).isEqualTo(50001);
        assertThat(api.post("/applications/" + appId + "/bot/reset", stranger.token(), null).status()).isEqualTo(403);
        assertThat(api.post("/applications", "Bot " + token, Map.of("name", "bot made app")).json().get("code").asInt()).isEqualTo(20001);

        var again = api.post("/applications/" + appId + "/bot/reset", owner.token(), null);
        assertThat(api.get("/users/@me", "Bot " + token).status()).as("old token revoked").isEqualTo(401);
        assertThat(api.get("/users/@me", "Bot " + again.json().get("token").asText()).status()).isEqualTo(200);
    }
}
