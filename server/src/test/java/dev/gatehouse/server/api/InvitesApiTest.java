package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.MembershipFixtures.assertError;
import static dev.gatehouse.server.api.MembershipFixtures.bits;
import static dev.gatehouse.server.api.MembershipFixtures.data;
import static dev.gatehouse.server.api.MembershipFixtures.guild;
import static dev.gatehouse.server.api.MembershipFixtures.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InvitesApiTest {

    /** Wall time plus an offset the test moves forward, so invites can age without sleeping. */
    static final class SteppingClock extends Clock {
        private final AtomicLong offset = new AtomicLong();

        void advanceSeconds(long seconds) {
            offset.addAndGet(seconds * 1000);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offset.get();
        }
    }

    static final SteppingClock clock = new SteppingClock();
    static TestServer server;
    static ApiClient api;
    static MembershipFixtures fx;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withRateLimits(false), clock);
        api = server.api();
        fx = new MembershipFixtures(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> codes(JsonNode invites) {
        return StreamSupport.stream(invites.spliterator(), false).map(i -> i.get("code").asText()).toList();
    }

    private static ApiClient.Response create(long channel, Account who, Object body) {
        return api.post("/channels/" + channel + "/invites", who.token(), body);
    }

    @Test
    void createReturnsTheInviteWithMetadataAndPublishes() {
        Account owner = api.register("iowner");
        long g = guild(api, owner);
        long channel = fx.general(g);

        server.events().clear();
        var r = create(channel, owner, Map.of());
        assertThat(r.status()).as("Discord answers 200 here").isEqualTo(200);
        JsonNode invite = r.json();
        String code = invite.get("code").asText();
        assertThat(code).matches("[A-Za-z0-9]{8}");
        assertThat(invite.get("type").asInt()).isZero();
        assertThat(invite.at("/guild/id").asText()).isEqualTo(Long.toString(g));
        assertThat(invite.at("/guild/name").asText()).isEqualTo("Guild of " + owner.username());
        assertThat(invite.at("/channel/id").asText()).isEqualTo(Long.toString(channel));
        assertThat(invite.at("/channel/name").asText()).isEqualTo("general");
        assertThat(invite.at("/channel/type").asInt()).isZero();
        assertThat(invite.at("/inviter/id").asText()).isEqualTo(Long.toString(owner.id()));
        assertThat(invite.get("uses").asInt()).isZero();
        assertThat(invite.get("max_uses").asInt()).isZero();
        assertThat(invite.get("max_age").asInt()).isEqualTo(86_400);
        assertThat(invite.get("temporary").asBoolean()).isFalse();
        assertThat(invite.get("created_at").asText()).endsWith("+00:00");
        assertThat(Instant.parse(invite.get("expires_at").asText()))
                .isEqualTo(Instant.parse(invite.get("created_at").asText()).plusSeconds(86_400));

        GatewayEvent created = single(server, DispatchType.INVITE_CREATE);
        assertThat(created.guildId()).isEqualTo(g);
        assertThat(created.channelId()).isEqualTo(channel);
        JsonNode d = data(created);
        assertThat(d.get("code").asText()).isEqualTo(code);
        assertThat(d.get("channel_id").asText()).isEqualTo(Long.toString(channel));
        assertThat(d.get("guild_id").asText()).isEqualTo(Long.toString(g));
        assertThat(d.at("/inviter/id").asText()).isEqualTo(Long.toString(owner.id()));
        assertThat(d.get("max_age").asInt()).isEqualTo(86_400);
        assertThat(d.get("max_uses").asInt()).isZero();
        assertThat(d.get("uses").asInt()).isZero();
        assertThat(d.get("temporary").asBoolean()).isFalse();
        assertThat(d.get("created_at").asText()).isEqualTo(invite.get("created_at").asText());

        // the same settings give the same invite back, unless asked for a unique one
        server.events().clear();
        assertThat(create(channel, owner, null).json().get("code").asText()).isEqualTo(code);
        assertThat(server.events().all()).isEmpty();
        var unique = create(channel, owner, Map.of("unique", true));
        assertThat(unique.json().get("code").asText()).isNotEqualTo(code);
        var custom = create(channel, owner, Map.of("max_age", 0, "max_uses", 100, "temporary", true));
        assertThat(custom.status()).isEqualTo(200);
        assertThat(custom.json().get("expires_at").isNull()).as("max_age 0 never expires").isTrue();
        assertThat(custom.json().get("max_uses").asInt()).isEqualTo(100);
        assertThat(custom.json().get("temporary").asBoolean()).isTrue();
        assertThat(server.events().of(DispatchType.INVITE_CREATE)).hasSize(2);
        assertThat(codes(api.get("/channels/" + channel + "/invites", owner.token()).json()))
                .containsExactlyInAnyOrder(code, unique.json().get("code").asText(), custom.json().get("code").asText());
    }

    @Test
    void createRefusesBadInputWrongChannelsAndMissingPermissions() {
        Account owner = api.register("rowner");
        long g = guild(api, owner);
        long channel = fx.general(g);
        Account member = api.register("rmember");
        fx.join(g, member.id());

        server.events().clear();
        var bad = create(channel, owner, Map.of("max_age", 604_801, "max_uses", 101, "temporary", "yes", "unique", 1));
        assertError(bad, 400, 50035);
        JsonNode errors = bad.json().get("errors");
        assertThat(errors.at("/max_age/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(errors.at("/max_uses/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(errors.at("/temporary/_errors/0/code").asText()).isEqualTo("BOOLEAN_TYPE_CONVERT");
        assertThat(errors.at("/unique/_errors/0/code").asText()).isEqualTo("BOOLEAN_TYPE_CONVERT");
        assertError(create(channel, owner, Map.of("max_age", -1)), 400, 50035);
        assertError(create(channel, owner, Map.of("max_uses", -1)), 400, 50035);
        assertError(create(channel, owner, "{not json"), 400, 50109);
        assertError(create(fx.category(g), owner, null), 400, 50024);
        assertError(create(fx.newId(), owner, null), 404, 10003);
        assertError(create(channel, api.register("rout"), null), 403, 50001);

        fx.everyone(g, Permission.DEFAULT_EVERYONE & ~Permission.CREATE_INSTANT_INVITE.bit);
        assertError(create(channel, member, null), 403, 50013);
        long hidden = fx.textChannel(g, "hidden");
        fx.overwrite(hidden, g, Overwrite.ROLE, 0, bits(Permission.VIEW_CHANNEL));
        fx.everyone(g, Permission.DEFAULT_EVERYONE);
        assertError(create(hidden, member, null), 403, 50001);
        assertThat(server.events().all()).as("refused creations publish nothing").isEmpty();
        assertThat(api.get("/guilds/" + g + "/invites", owner.token()).json()).as("and write nothing").isEmpty();

        assertThat(create(channel, member, null).status()).as("@everyone may invite by default").isEqualTo(200);
    }

    @Test
    void getShowsTheInviteToAnyoneWithoutMetadata() {
        Account owner = api.register("gowner");
        long g = guild(api, owner);
        fx.join(g, api.register("gmember").id());
        String code = create(fx.general(g), owner, Map.of()).json().get("code").asText();
        Account stranger = api.register("gstranger");

        var got = api.get("/invites/" + code, stranger.token());
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("code").asText()).isEqualTo(code);
        assertThat(got.json().at("/guild/id").asText()).isEqualTo(Long.toString(g));
        assertThat(got.json().has("uses")).as("metadata is for managers").isFalse();
        assertThat(got.json().has("approximate_member_count")).isFalse();
        var counted = api.get("/invites/" + code + "?with_counts=true", stranger.token());
        assertThat(counted.json().get("approximate_member_count").asInt()).isEqualTo(2);
        assertThat(counted.json().get("approximate_presence_count").asInt()).isZero();

        assertError(api.get("/invites/NoSuchCd", stranger.token()), 404, 10006);
        assertThat(api.version("v1").get("/invites/NoSuchCd", stranger.token()).json().get("code").asText()).isEqualTo("UNKNOWN_INVITE");
        assertError(api.get("/invites/" + code, null), 401, 40001);
    }

    @Test
    void acceptJoinsTheGuildAndCountsAUse() {
        Account owner = api.register("aowner");
        long g = guild(api, owner);
        long channel = fx.general(g);
        String code = create(channel, owner, Map.of("max_uses", 5)).json().get("code").asText();
        Account joiner = api.register("ajoiner");

        server.events().clear();
        var accepted = api.post("/invites/" + code, joiner.token(), null);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().get("code").asText()).isEqualTo(code);
        assertThat(accepted.json().at("/guild/id").asText()).isEqualTo(Long.toString(g));
        assertThat(accepted.json().at("/channel/id").asText()).isEqualTo(Long.toString(channel));
        GatewayEvent add = single(server, DispatchType.GUILD_MEMBER_ADD);
        assertThat(add.guildId()).isEqualTo(g);
        assertThat(data(add).get("guild_id").asText()).isEqualTo(Long.toString(g));
        assertThat(data(add).at("/user/id").asText()).isEqualTo(Long.toString(joiner.id()));
        assertThat(single(server, DispatchType.GUILD_CREATE).userIds()).containsExactly(joiner.id());
        assertThat(api.get("/guilds/" + g, joiner.token()).status()).isEqualTo(200);
        assertThat(api.get("/guilds/" + g + "/invites", owner.token()).json().get(0).get("uses").asInt()).isEqualTo(1);

        server.events().clear();
        assertThat(api.post("/invites/" + code, joiner.token(), null).status()).as("already a member").isEqualTo(200);
        assertThat(server.events().all()).isEmpty();
        assertThat(api.get("/guilds/" + g + "/invites", owner.token()).json().get(0).get("uses").asInt())
                .as("a member coming back uses nothing").isEqualTo(1);

        Account bot = api.createBot(owner, "InviteBot");
        assertError(api.post("/invites/" + code, bot.token(), null), 403, 20001);
        assertError(api.post("/invites/Nope1234", joiner.token(), null), 404, 10006);
        assertThat(fx.member(g, bot.id())).isEmpty();
    }

    @Test
    void lastUseDeletesTheInvite() {
        Account owner = api.register("lowner");
        long g = guild(api, owner);
        long channel = fx.general(g);
        String code = create(channel, owner, Map.of("max_uses", 1)).json().get("code").asText();
        Account first = api.register("lfirst");
        Account second = api.register("lsecond");

        server.events().clear();
        assertThat(api.post("/invites/" + code, first.token(), null).status()).isEqualTo(200);
        GatewayEvent deleted = single(server, DispatchType.INVITE_DELETE);
        assertThat(deleted.channelId()).isEqualTo(channel);
        assertThat(data(deleted).get("code").asText()).isEqualTo(code);
        assertThat(data(deleted).get("guild_id").asText()).isEqualTo(Long.toString(g));
        assertThat(data(deleted).get("channel_id").asText()).isEqualTo(Long.toString(channel));

        server.events().clear();
        assertError(api.post("/invites/" + code, second.token(), null), 404, 10006);
        assertThat(fx.member(g, second.id())).isEmpty();
        assertThat(server.events().all()).isEmpty();
        assertError(api.get("/invites/" + code, second.token()), 404, 10006);
    }

    @Test
    void bannedUsersCannotJoinByInviteAndUseNothing() {
        Account owner = api.register("bowner");
        long g = guild(api, owner);
        String code = create(fx.general(g), owner, Map.of("max_uses", 1)).json().get("code").asText();
        Account banned = api.register("bbanned");
        assertThat(api.put("/guilds/" + g + "/bans/" + banned.id(), owner.token(), null).status()).isEqualTo(204);

        server.events().clear();
        assertError(api.post("/invites/" + code, banned.token(), null), 403, 40007);
        assertThat(server.events().all()).isEmpty();
        assertThat(fx.member(g, banned.id())).isEmpty();
        var invites = api.get("/guilds/" + g + "/invites", owner.token()).json();
        assertThat(invites.get(0).get("uses").asInt()).as("the refused join used nothing").isZero();
        assertThat(api.post("/invites/" + code, api.register("bok").token(), null).status()).isEqualTo(200);
    }

    @Test
    void invitesPastTheirAgeAreGone() {
        Account owner = api.register("eowner");
        long g = guild(api, owner);
        long channel = fx.general(g);
        String shortLived = create(channel, owner, Map.of("max_age", 60)).json().get("code").asText();
        String forever = create(channel, owner, Map.of("max_age", 0)).json().get("code").asText();
        String daily = create(channel, owner, Map.of()).json().get("code").asText();
        Account joiner = api.register("ejoiner");

        clock.advanceSeconds(61);
        assertThat(codes(api.get("/guilds/" + g + "/invites", owner.token()).json())).containsExactlyInAnyOrder(forever, daily);
        server.events().clear();
        assertError(api.get("/invites/" + shortLived, joiner.token()), 404, 10006);
        assertThat(data(single(server, DispatchType.INVITE_DELETE)).get("code").asText()).isEqualTo(shortLived);
        assertError(api.post("/invites/" + shortLived, joiner.token(), null), 404, 10006);
        assertThat(fx.member(g, joiner.id())).isEmpty();

        clock.advanceSeconds(86_400);
        server.events().clear();
        assertError(api.post("/invites/" + daily, joiner.token(), null), 404, 10006);
        assertThat(server.events().of(DispatchType.INVITE_DELETE)).hasSize(1);
        assertThat(server.events().of(DispatchType.GUILD_MEMBER_ADD)).isEmpty();
        assertThat(api.post("/invites/" + forever, joiner.token(), null).status()).isEqualTo(200);
    }

    @Test
    void deleteAndListNeedManagePermissions() {
        Account owner = api.register("downer");
        long g = guild(api, owner);
        long channel = fx.general(g);
        Account member = api.register("dmember");
        Account channelManager = api.register("dchan");
        Account guildManager = api.register("dguild");
        fx.join(g, member.id());
        fx.join(g, channelManager.id());
        fx.join(g, guildManager.id(), fx.role(g, "managers", 1, bits(Permission.MANAGE_GUILD)));
        fx.overwrite(channel, channelManager.id(), Overwrite.MEMBER, bits(Permission.MANAGE_CHANNELS), 0);
        String a = create(channel, member, Map.of("unique", true)).json().get("code").asText();
        String b = create(channel, member, Map.of("unique", true)).json().get("code").asText();
        long other = fx.textChannel(g, "other");
        String c = create(other, owner, Map.of()).json().get("code").asText();

        assertError(api.get("/guilds/" + g + "/invites", member.token()), 403, 50013);
        assertError(api.get("/guilds/" + g + "/invites", channelManager.token()), 403, 50013);
        assertThat(codes(api.get("/guilds/" + g + "/invites", guildManager.token()).json())).containsExactlyInAnyOrder(a, b, c);
        assertError(api.get("/channels/" + channel + "/invites", member.token()), 403, 50013);
        assertThat(codes(api.get("/channels/" + channel + "/invites", channelManager.token()).json())).containsExactlyInAnyOrder(a, b);
        assertThat(api.get("/channels/" + other + "/invites", owner.token()).json().get(0).get("max_age").asInt()).isEqualTo(86_400);
        assertError(api.get("/channels/" + fx.newId() + "/invites", owner.token()), 404, 10003);
        assertError(api.get("/guilds/" + g + "/invites", api.register("dout").token()), 403, 50001);

        server.events().clear();
        assertError(api.delete("/invites/" + a, member.token()), 403, 50013);
        assertError(api.delete("/invites/" + c, channelManager.token()), 403, 50013);
        assertError(api.delete("/invites/" + a, api.register("dstranger").token()), 403, 50001);
        assertError(api.delete("/invites/Nope1234", owner.token()), 404, 10006);
        assertThat(server.events().all()).isEmpty();

        var deleted = api.delete("/invites/" + a, channelManager.token());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("code").asText()).isEqualTo(a);
        assertThat(deleted.json().get("uses").asInt()).isZero();
        JsonNode event = data(single(server, DispatchType.INVITE_DELETE));
        assertThat(event.get("code").asText()).isEqualTo(a);
        assertThat(event.get("channel_id").asText()).isEqualTo(Long.toString(channel));
        assertThat(event.get("guild_id").asText()).isEqualTo(Long.toString(g));
        assertError(api.get("/invites/" + a, owner.token()), 404, 10006);
        assertThat(api.delete("/invites/" + c, guildManager.token()).status()).isEqualTo(200);
        assertThat(codes(api.get("/guilds/" + g + "/invites", owner.token()).json())).containsExactly(b);
    }
}
