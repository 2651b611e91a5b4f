package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client requests over real sockets: op 3 presence, op 4 voice state, op 8 members, op 14 lists. */
class GatewayRequestsTest extends WorldPerClass {

    static final long GUILDS = 1;
    static final long VOICE = 1 << 7;

    @Test
    void requestGuildMembersAnswersChunksWithTheNonce() {
        Account bot = world.bot("chunker", Application.GATEWAY_GUILD_MEMBERS);
        List<Account> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(world.member("chunky"));
        }
        try (GatewayTestClient c = world.identified(bot, "v=10", GUILDS | GatewayWorld.GUILD_MEMBERS)) {
            c.send(Map.of("op", 8, "d", Map.of("guild_id", Long.toString(world.guildId), "query", "", "limit", 0, "nonce", "all-1")));
            JsonNode chunk = c.nextDispatch("GUILD_MEMBERS_CHUNK", WAIT);
            assertThat(chunk.at("/d/nonce").asText()).isEqualTo("all-1");
            assertThat(chunk.at("/d/chunk_index").intValue()).isZero();
            assertThat(chunk.at("/d/chunk_count").intValue()).isEqualTo(1);
            List<String> ids = new ArrayList<>();
            chunk.at("/d/members").forEach(m -> ids.add(m.at("/user/id").asText()));
            members.forEach(m -> assertThat(ids).contains(Long.toString(m.id())));

            c.send(Map.of("op", 8, "d", Map.of("guild_id", Long.toString(world.guildId),
                    "user_ids", List.of(Long.toString(members.get(0).id()), "123456789012345678"), "nonce", "ids")));
            JsonNode byId = c.nextDispatch("GUILD_MEMBERS_CHUNK", WAIT);
            assertThat(byId.at("/d/members").size()).isEqualTo(1);
            assertThat(byId.at("/d/not_found/0").asText()).isEqualTo("123456789012345678");

            c.send(Map.of("op", 8, "d", Map.of("guild_id", Long.toString(world.guildId), "query", "CHUNK", "limit", 2)));
            JsonNode byName = c.nextDispatch("GUILD_MEMBERS_CHUNK", WAIT);
            assertThat(byName.at("/d/members").size()).as("case-insensitive prefix, limited").isEqualTo(2);
        }
    }

    @Test
    void everyoneWithoutTheGuildMembersIntentIsAnEmptyChunk() {
        Account bot = world.bot("nointent", 0);
        try (GatewayTestClient c = world.identified(bot, "v=10", GUILDS)) {
            c.send(Map.of("op", 8, "d", Map.of("guild_id", Long.toString(world.guildId), "query", "", "limit", 0, "nonce", "n")));
            JsonNode chunk = c.nextDispatch("GUILD_MEMBERS_CHUNK", WAIT);
            assertThat(chunk.at("/d/members").size()).isZero();
            assertThat(chunk.at("/d/nonce").asText()).isEqualTo("n");
        }
    }

    @Test
    void malformedMemberRequestsClose4002() {
        Account member = world.member("badreq");
        try (GatewayTestClient c = world.identified(member, "v=10", GUILDS)) {
            c.send(Map.of("op", 8, "d", Map.of("guild_id", "x", "query", "")));
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4002);
        }
    }

    @Test
    void discordRateLimitsTheFourthMemberRequest() {
        Account member = world.member("eager");
        try (GatewayTestClient c = world.identified(member, "v=10", GUILDS)) {
            for (int i = 0; i < 4; i++) {
                c.send(Map.of("op", 8, "d", Map.of("guild_id", Long.toString(world.guildId), "query", "", "limit", 1, "nonce", "r" + i)));
            }
            JsonNode limited = c.nextDispatch("RATE_LIMITED", WAIT);
            assertThat(limited.at("/d/opcode").intValue()).isEqualTo(8);
            assertThat(limited.at("/d/meta/nonce").asText()).isEqualTo("r3");
            assertThat(limited.at("/d/retry_after").doubleValue()).isPositive();
        }
    }

    @Test
    void fluxerClosesOnTheFourthMemberRequest() {
        Account member = world.member("eagerflux");
        try (GatewayTestClient c = world.identified(member, "v=1", GUILDS)) {
            for (int i = 0; i < 4; i++) {
                c.send(Map.of("op", 8, "d", Map.of("guild_id", Long.toString(world.guildId), "query", "", "limit", 1)));
            }
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4008);
        }
    }

    @Test
    void presenceUpdatesReachGuildMembersWithThePresenceIntent() {
        Account watcher = world.member("watcher");
        Account actor = world.member("actor");
        try (GatewayTestClient w = world.identified(watcher, "v=10", GUILDS | GatewayWorld.GUILD_PRESENCES);
                GatewayTestClient a = world.identified(actor, "v=10", GUILDS)) {
            JsonNode online = nextPresenceOf(w, actor);
            assertThat(online.at("/d/status").asText()).isEqualTo("online");
            a.send(Map.of("op", 3, "d", Map.of("since", 0, "status", "dnd", "afk", false,
                    "activities", List.of(Map.of("name", "testing", "type", 0)))));
            JsonNode dnd = nextPresenceOf(w, actor);
            assertThat(dnd.at("/d/status").asText()).isEqualTo("dnd");
            assertThat(dnd.at("/d/activities/0/name").asText()).isEqualTo("testing");
            assertThat(dnd.at("/d/guild_id").asText()).isEqualTo(Long.toString(world.guildId));
            a.close(1000);
            assertThat(nextPresenceOf(w, actor).at("/d/status").asText()).as("offline when the session ends").isEqualTo("offline");
        }
    }

    @Test
    void invisibleLooksOffline() {
        Account watcher = world.member("watcher");
        Account ghost = world.member("ghost");
        try (GatewayTestClient w = world.identified(watcher, "v=10", GUILDS | GatewayWorld.GUILD_PRESENCES);
                GatewayTestClient g = world.connect("v=10")) {
            g.next(WAIT);
            g.send(Map.of("op", 2, "d", Map.of("token", ghost.token(), "intents", 1,
                    "presence", Map.of("status", "invisible", "activities", List.of(), "afk", false))));
            g.nextDispatch("READY", WAIT);
            g.send(Map.of("op", 3, "d", Map.of("status", "online", "activities", List.of(), "afk", false)));
            assertThat(nextPresenceOf(w, ghost).at("/d/status").asText()).isEqualTo("online");
        }
    }

    @Test
    void malformedPresenceCloses4002() {
        Account member = world.member("badpresence");
        try (GatewayTestClient c = world.identified(member, "v=10", GUILDS)) {
            c.send(Map.of("op", 3, "d", Map.of("status", "sleeping")));
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4002);
        }
    }

    @Test
    void voiceStateUpdatesGoToTheGuildAndTheJoinerLearnsItsVoiceServer() {
        long voiceChannel = -1;
        for (JsonNode ch : world.api.get("/guilds/" + world.guildId + "/channels", world.owner.token()).json()) {
            if (ch.get("type").intValue() == 2) {
                voiceChannel = ch.get("id").asLong();
            }
        }
        assertThat(voiceChannel).isPositive();
        Account speaker = world.member("speaker");
        Account listener = world.member("listener");
        try (GatewayTestClient l = world.identified(listener, "v=10", GUILDS | VOICE);
                GatewayTestClient s = world.identified(speaker, "v=10", GUILDS | VOICE)) {
            s.send(Map.of("op", 4, "d", Map.of("guild_id", Long.toString(world.guildId), "channel_id", Long.toString(voiceChannel),
                    "self_mute", true, "self_deaf", false)));
            JsonNode server = s.nextDispatch("VOICE_SERVER_UPDATE", WAIT);
            // no TLS port in this world: the voice gateway is on the plain one
            assertThat(server.at("/d/endpoint").asText()).isEqualTo("localhost:" + world.server.server().port());
            assertThat(server.at("/d/token").asText()).hasSize(32);
            JsonNode state = l.nextDispatch("VOICE_STATE_UPDATE", WAIT);
            assertThat(state.at("/d/user_id").asText()).isEqualTo(Long.toString(speaker.id()));
            assertThat(state.at("/d/channel_id").asText()).isEqualTo(Long.toString(voiceChannel));
            assertThat(state.at("/d/self_mute").booleanValue()).isTrue();
        }
    }

    @Test
    void lazyRequestSyncsTheMemberListThenUpdatesIt() {
        Account viewer = world.member("viewer");
        try (GatewayTestClient c = world.identified(viewer, "v=1", GUILDS)) {
            c.send(Map.of("op", 14, "d", Map.of("guild_id", Long.toString(world.guildId),
                    "channels", Map.of(Long.toString(world.channelId), List.of(List.of(0, 99))))));
            JsonNode sync = c.nextDispatch("GUILD_MEMBER_LIST_UPDATE", WAIT);
            assertThat(sync.at("/d/id").asText()).isEqualTo("everyone");
            assertThat(sync.at("/d/ops/0/op").asText()).isEqualTo("SYNC");
            assertThat(sync.at("/d/ops/0/items").size()).isPositive();
            assertThat(sync.at("/d/online_count").intValue()).isPositive();
            Account newcomer = world.api.register("lazynew");
            world.join(newcomer, world.guildId);
            JsonNode update = c.nextDispatch("GUILD_MEMBER_LIST_UPDATE", WAIT);
            List<String> ops = new ArrayList<>();
            update.at("/d/ops").forEach(op -> ops.add(op.get("op").asText()));
            assertThat(ops).contains("INSERT");
            assertThat(update.at("/d/member_count").intValue()).isEqualTo(sync.at("/d/member_count").intValue() + 1);
        }
    }

    @Test
    void lazyRequestIsAnUnknownOpcodeInTheDiscordDialect() {
        Account member = world.member("lazydiscord");
        try (GatewayTestClient c = world.identified(member, "v=10", GUILDS)) {
            c.send(Map.of("op", 14, "d", Map.of("guild_id", Long.toString(world.guildId))));
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4001);
        }
    }

    @Test
    void lazyRequestForAGuildOneIsNotInIsAGatewayError() {
        Account stranger = world.api.register("stranger");
        try (GatewayTestClient c = world.identified(stranger, "v=1", GUILDS)) {
            c.send(Map.of("op", 14, "d", Map.of("guild_id", Long.toString(world.guildId),
                    "channels", Map.of(Long.toString(world.channelId), List.of(List.of(0, 99))))));
            JsonNode error = c.next(WAIT);
            while (error.get("op").intValue() != 12) {
                error = c.next(WAIT);
            }
            assertThat(error.at("/d/code").asText()).isEqualTo("UNKNOWN_GUILD");
            assertThat(c.isOpen()).isTrue();
        }
    }

    private static JsonNode nextPresenceOf(GatewayTestClient c, Account who) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode p = c.nextDispatchOf(List.of("PRESENCE_UPDATE"), Duration.ofNanos(deadline - System.nanoTime()));
            if (p != null && p.at("/d/user/id").asText().equals(Long.toString(who.id()))) {
                return p;
            }
        }
        throw new AssertionError("no presence of " + who.username());
    }
}
