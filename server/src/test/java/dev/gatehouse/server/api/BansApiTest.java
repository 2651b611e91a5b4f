package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.MembershipFixtures.assertError;
import static dev.gatehouse.server.api.MembershipFixtures.bits;
import static dev.gatehouse.server.api.MembershipFixtures.data;
import static dev.gatehouse.server.api.MembershipFixtures.guild;
import static dev.gatehouse.server.api.MembershipFixtures.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BansApiTest extends ServerPerClass {

    static MembershipFixtures fx;

    @BeforeAll
    static void start() {
        fx = new MembershipFixtures(server);
    }

    private static List<String> userIds(JsonNode bans) {
        return StreamSupport.stream(bans.spliterator(), false).map(b -> b.at("/user/id").asText()).toList();
    }

    /** A message id from {@code secondsAgo} seconds back, unique by its low bits. */
    private static long idSecondsAgo(long secondsAgo, int salt) {
        return Snowflakes.fromTimestamp(System.currentTimeMillis() - secondsAgo * 1000) | salt;
    }

    @Test
    void banRemovesTheMemberDeletesRecentMessagesAndPublishes() {
        Account owner = api.register("bowner");
        long g = guild(api, owner);
        Account target = api.register("btarget");
        Account bystander = api.register("bbystander");
        fx.join(g, target.id());
        fx.join(g, bystander.id());
        long general = fx.general(g);
        long second = fx.textChannel(g, "second");
        long old = idSecondsAgo(7200, 1);
        long recent1 = idSecondsAgo(60, 2);
        long recent2 = idSecondsAgo(30, 3);
        long recentOther = idSecondsAgo(20, 4);
        long bystanders = idSecondsAgo(10, 5);
        fx.message(old, general, g, target.id());
        fx.message(recent1, general, g, target.id());
        fx.message(recent2, general, g, target.id());
        fx.message(recentOther, second, g, target.id());
        fx.message(bystanders, general, g, bystander.id());

        server.events().clear();
        var r = api.call("PUT", "/guilds/" + g + "/bans/" + target.id(), owner.token(), Map.of("delete_message_seconds", 3600),
                Map.of("X-Audit-Log-Reason", "spam%20and%20abuse"));
        assertThat(r.status()).isEqualTo(204);

        GatewayEvent remove = single(server, DispatchType.GUILD_MEMBER_REMOVE);
        assertThat(data(remove).at("/user/id").asText()).isEqualTo(Long.toString(target.id()));
        assertThat(single(server, DispatchType.GUILD_DELETE).userIds()).containsExactly(target.id());
        GatewayEvent banAdd = single(server, DispatchType.GUILD_BAN_ADD);
        assertThat(banAdd.guildId()).isEqualTo(g);
        assertThat(data(banAdd).get("guild_id").asText()).isEqualTo(Long.toString(g));
        assertThat(data(banAdd).at("/user/id").asText()).isEqualTo(Long.toString(target.id()));
        assertThat(data(banAdd).at("/user/username").asText()).isEqualTo(target.username());

        List<GatewayEvent> bulk = server.events().of(DispatchType.MESSAGE_DELETE_BULK);
        assertThat(bulk).hasSize(2);
        GatewayEvent inGeneral = bulk.stream().filter(e -> e.channelId() == general).findFirst().orElseThrow();
        assertThat(inGeneral.guildId()).isEqualTo(g);
        assertThat(data(inGeneral).get("channel_id").asText()).isEqualTo(Long.toString(general));
        assertThat(data(inGeneral).get("guild_id").asText()).isEqualTo(Long.toString(g));
        List<String> deleted = new ArrayList<>();
        data(inGeneral).get("ids").forEach(id -> deleted.add(id.asText()));
        assertThat(deleted).containsExactlyInAnyOrder(Long.toString(recent1), Long.toString(recent2));
        GatewayEvent inSecond = bulk.stream().filter(e -> e.channelId() == second).findFirst().orElseThrow();
        assertThat(data(inSecond).get("ids").get(0).asText()).isEqualTo(Long.toString(recentOther));

        assertThat(fx.messageExists(general, recent1)).isFalse();
        assertThat(fx.messageExists(second, recentOther)).isFalse();
        assertThat(fx.messageExists(general, old)).as("older than delete_message_seconds").isTrue();
        assertThat(fx.messageExists(general, bystanders)).as("other authors' messages stay").isTrue();
        assertThat(fx.member(g, target.id())).isEmpty();

        var ban = api.get("/guilds/" + g + "/bans/" + target.id(), owner.token());
        assertThat(ban.status()).isEqualTo(200);
        assertThat(ban.json().get("reason").asText()).isEqualTo("spam and abuse");
        assertThat(ban.json().at("/user/id").asText()).isEqualTo(Long.toString(target.id()));

        assertThatThrownBy(() -> fx.join(g, target.id()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code().numeric()).isEqualTo(40007));

        // banning again keeps one ban, updates nothing else and announces nothing
        server.events().clear();
        assertThat(api.put("/guilds/" + g + "/bans/" + target.id(), owner.token(), null).status()).isEqualTo(204);
        assertThat(server.events().all()).isEmpty();
        assertThat(api.get("/guilds/" + g + "/bans", owner.token()).json()).hasSize(1);
    }

    @Test
    void banNeedsPermissionRankAndAValidBody() {
        Account owner = api.register("powner");
        long g = guild(api, owner);
        Account mod = api.register("pmod");
        Account peer = api.register("ppeer");
        Account member = api.register("pmember");
        long modRole = fx.role(g, "mods", 2, bits(Permission.BAN_MEMBERS));
        fx.join(g, mod.id(), modRole);
        fx.join(g, peer.id(), modRole);
        fx.join(g, member.id());
        String bans = "/guilds/" + g + "/bans/";

        server.events().clear();
        assertError(api.put(bans + peer.id(), member.token(), null), 403, 50013);
        assertError(api.put(bans + peer.id(), mod.token(), null), 403, 50013);
        assertError(api.put(bans + owner.id(), mod.token(), null), 403, 50013);
        assertError(api.put(bans + mod.id(), mod.token(), null), 403, 50013);
        assertError(api.put(bans + owner.id(), owner.token(), null), 403, 50013);
        assertError(api.put(bans + fx.newId(), mod.token(), null), 404, 10013);
        assertError(api.put(bans + member.id(), api.register("pout").token(), null), 403, 50001);
        var bad = api.put(bans + member.id(), mod.token(), Map.of("delete_message_seconds", 604_801, "delete_message_days", 8));
        assertError(bad, 400, 50035);
        assertThat(bad.json().at("/errors/delete_message_seconds/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(bad.json().at("/errors/delete_message_days/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_MAX");
        assertError(api.put(bans + member.id(), mod.token(), Map.of("delete_message_seconds", -1)), 400, 50035);
        assertError(api.put(bans + member.id(), mod.token(), "[1]"), 400, 50035);
        assertThat(server.events().all()).as("refused bans publish nothing").isEmpty();
        assertThat(fx.member(g, member.id())).isPresent();
        assertError(api.get(bans + member.id(), owner.token()), 404, 10026);

        assertThat(api.put(bans + member.id(), mod.token(), Map.of("delete_message_seconds", 604_800)).status()).isEqualTo(204);
        assertThat(fx.member(g, member.id())).isEmpty();
        assertThat(api.get(bans + member.id(), owner.token()).json().get("reason").isNull()).isTrue();

        // a user who is no member can be banned ahead of time; there is no member to remove
        Account stranger = api.register("pstranger");
        server.events().clear();
        assertThat(api.put(bans + stranger.id(), mod.token(), null).status()).isEqualTo(204);
        assertThat(server.events().of(DispatchType.GUILD_MEMBER_REMOVE)).isEmpty();
        assertThat(data(single(server, DispatchType.GUILD_BAN_ADD)).at("/user/id").asText()).isEqualTo(Long.toString(stranger.id()));
    }

    @Test
    void listGetAndUnban() {
        Account owner = api.register("uowner");
        long g = guild(api, owner);
        Account member = api.register("umember");
        fx.join(g, member.id());
        List<Account> banned = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Account a = api.register("ubanned");
            banned.add(a);
            assertThat(api.put("/guilds/" + g + "/bans/" + a.id(), owner.token(), null).status()).isEqualTo(204);
        }
        List<String> sorted = banned.stream().map(a -> Long.toString(a.id())).sorted(java.util.Comparator.comparingLong(Long::parseLong)).toList();
        String list = "/guilds/" + g + "/bans";

        var all = api.get(list, owner.token());
        assertThat(all.status()).isEqualTo(200);
        assertThat(userIds(all.json())).containsExactlyElementsOf(sorted);
        assertThat(all.json().get(0).has("reason")).isTrue();
        assertThat(userIds(api.get(list + "?limit=2", owner.token()).json())).containsExactlyElementsOf(sorted.subList(0, 2));
        assertThat(userIds(api.get(list + "?after=" + sorted.get(1), owner.token()).json())).containsExactlyElementsOf(sorted.subList(2, 4));
        assertThat(userIds(api.get(list + "?before=" + sorted.get(3) + "&limit=2", owner.token()).json()))
                .as("before pages backwards from the given id").containsExactlyElementsOf(sorted.subList(1, 3));
        assertThat(userIds(api.get(list + "?after=" + sorted.get(0) + "&before=" + sorted.get(3), owner.token()).json()))
                .containsExactlyElementsOf(sorted.subList(1, 3));
        assertError(api.get(list + "?limit=1001", owner.token()), 400, 50035);
        assertError(api.get(list + "?limit=0", owner.token()), 400, 50035);
        assertError(api.get(list, member.token()), 403, 50013);
        assertError(api.get(list + "/" + banned.getFirst().id(), member.token()), 403, 50013);
        assertError(api.get(list + "/" + member.id(), owner.token()), 404, 10026);
        assertError(api.get(list, api.register("uout").token()), 403, 50001);

        Account first = banned.getFirst();
        server.events().clear();
        assertError(api.delete(list + "/" + first.id(), member.token()), 403, 50013);
        assertError(api.delete(list + "/" + member.id(), owner.token()), 404, 10026);
        assertThat(server.events().all()).isEmpty();
        assertThat(api.delete(list + "/" + first.id(), owner.token()).status()).isEqualTo(204);
        GatewayEvent unban = single(server, DispatchType.GUILD_BAN_REMOVE);
        assertThat(unban.guildId()).isEqualTo(g);
        assertThat(data(unban).get("guild_id").asText()).isEqualTo(Long.toString(g));
        assertThat(data(unban).at("/user/id").asText()).isEqualTo(Long.toString(first.id()));
        assertError(api.delete(list + "/" + first.id(), owner.token()), 404, 10026);
        assertThat(api.get(list, owner.token()).json()).hasSize(3);

        fx.join(g, first.id());
        assertThat(fx.member(g, first.id())).as("unbanned users may join again").isPresent();
    }
}
