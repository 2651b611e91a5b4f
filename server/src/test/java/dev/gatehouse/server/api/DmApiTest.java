package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.MembershipFixtures.assertError;
import static dev.gatehouse.server.api.MembershipFixtures.data;
import static dev.gatehouse.server.api.MembershipFixtures.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DmApiTest extends ServerPerClass {

    static MembershipFixtures fx;

    @BeforeAll
    static void start() {
        fx = new MembershipFixtures(server);
    }

    private static ApiClient.Response open(Account who, Object recipient) {
        return api.post("/users/@me/channels", who.token(), Map.of("recipient_id", recipient));
    }

    @Test
    void oneChannelPerPairCreatedOnce() {
        Account alice = api.register("dalice");
        Account bob = api.register("dbob");

        server.events().clear();
        var opened = open(alice, Long.toString(bob.id()));
        assertThat(opened.status()).isEqualTo(200);
        JsonNode dm = opened.json();
        String id = dm.get("id").asText();
        assertThat(dm.get("type").asInt()).isEqualTo(1);
        assertThat(dm.get("last_message_id").isNull()).isTrue();
        assertThat(dm.has("guild_id")).isFalse();
        assertThat(dm.get("recipients")).hasSize(1);
        assertThat(dm.at("/recipients/0/id").asText()).isEqualTo(Long.toString(bob.id()));
        assertThat(dm.at("/recipients/0/username").asText()).isEqualTo(bob.username());

        GatewayEvent created = single(server, DispatchType.CHANNEL_CREATE);
        assertThat(created.userIds()).as("to the creator only").containsExactly(alice.id());
        assertThat(created.guildId()).isNull();
        assertThat(data(created).get("id").asText()).isEqualTo(id);
        assertThat(data(created).at("/recipients/0/id").asText()).isEqualTo(Long.toString(bob.id()));

        server.events().clear();
        assertThat(open(alice, bob.id()).json().get("id").asText()).as("a JSON number id works too").isEqualTo(id);
        var back = open(bob, Long.toString(alice.id()));
        assertThat(back.json().get("id").asText()).isEqualTo(id);
        assertThat(back.json().at("/recipients/0/id").asText()).isEqualTo(Long.toString(alice.id()));
        assertThat(server.events().all()).as("the pair's channel exists already").isEmpty();

        var alicesDms = api.get("/users/@me/channels", alice.token());
        assertThat(alicesDms.status()).isEqualTo(200);
        assertThat(alicesDms.json()).hasSize(1);
        assertThat(alicesDms.json().at("/0/id").asText()).isEqualTo(id);
        assertThat(alicesDms.json().at("/0/recipients/0/id").asText()).isEqualTo(Long.toString(bob.id()));
        assertThat(api.get("/users/@me/channels", bob.token()).json().at("/0/recipients/0/id").asText()).isEqualTo(Long.toString(alice.id()));
        assertThat(api.get("/users/@me/channels", api.register("dcarol").token()).json()).isEmpty();

        Account dave = api.register("ddave");
        String second = open(alice, Long.toString(dave.id())).json().get("id").asText();
        assertThat(second).isNotEqualTo(id);
        assertThat(api.get("/users/@me/channels", alice.token()).json()).hasSize(2);
    }

    @Test
    void refusesUnknownSelfAndBotToBot() {
        Account alice = api.register("ralice");
        Account owner = api.register("rowner");
        Account bot = api.createBot(owner, "DmBot");
        Account otherBot = api.createBot(owner, "OtherBot");

        server.events().clear();
        assertError(open(alice, Long.toString(fx.newId())), 404, 10013);
        assertError(open(alice, Long.toString(alice.id())), 403, 50007);
        assertError(open(bot, Long.toString(otherBot.id())), 403, 50007);
        var missing = api.post("/users/@me/channels", alice.token(), Map.of());
        assertError(missing, 400, 50035);
        assertThat(missing.json().at("/errors/recipient_id/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        var malformed = open(alice, "12ab");
        assertError(malformed, 400, 50035);
        assertThat(malformed.json().at("/errors/recipient_id/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");
        assertError(api.post("/users/@me/channels", null, Map.of("recipient_id", "1")), 401, 40001);
        assertThat(server.events().all()).isEmpty();
        assertThat(api.get("/users/@me/channels", alice.token()).json()).as("nothing was created").isEmpty();

        var botToPerson = open(bot, Long.toString(alice.id()));
        assertThat(botToPerson.status()).as("bots may DM people").isEqualTo(200);
        assertThat(open(alice, Long.toString(bot.id())).json().get("id").asText()).isEqualTo(botToPerson.json().get("id").asText());
    }
}
