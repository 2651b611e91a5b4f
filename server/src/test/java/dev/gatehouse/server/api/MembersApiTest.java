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
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MembersApiTest extends ServerPerClass {

    static MembershipFixtures fx;

    @BeforeAll
    static void start() {
        fx = new MembershipFixtures(server);
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(m -> m.at("/user/id").asText()).toList();
    }

    private static List<String> roleIds(JsonNode member) {
        return StreamSupport.stream(member.get("roles").spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void listPagesByUserIdForAnyMember() {
        Account owner = api.register("lister");
        long g = guild(api, owner);
        Account a = api.register("la");
        Account b = api.register("lb");
        fx.join(g, a.id());
        fx.join(g, b.id());
        List<Long> all = new ArrayList<>(List.of(owner.id(), a.id(), b.id()));
        all.sort(null);

        var first = api.get("/guilds/" + g + "/members", a.token());
        assertThat(first.status()).isEqualTo(200);
        assertThat(ids(first.json())).as("limit defaults to 1").containsExactly(Long.toString(all.get(0)));
        assertThat(first.json().get(0).has("guild_id")).as("REST members carry no guild_id").isFalse();
        assertThat(first.json().get(0).get("joined_at").asText()).endsWith("+00:00");

        var everyone = api.get("/guilds/" + g + "/members?limit=1000", b.token());
        assertThat(ids(everyone.json())).containsExactly(all.stream().map(String::valueOf).toArray(String[]::new));
        var after = api.get("/guilds/" + g + "/members?limit=2&after=" + all.get(0), owner.token());
        assertThat(ids(after.json())).containsExactly(Long.toString(all.get(1)), Long.toString(all.get(2)));

        assertError(api.get("/guilds/" + g + "/members?limit=0", owner.token()), 400, 50035);
        var tooMany = api.get("/guilds/" + g + "/members?limit=1001", owner.token());
        assertError(tooMany, 400, 50035);
        assertThat(tooMany.json().at("/errors/limit/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_MAX");
        assertError(api.get("/guilds/" + g + "/members?after=abc", owner.token()), 400, 50035);

        Account stranger = api.register("lstranger");
        assertError(api.get("/guilds/" + g + "/members", stranger.token()), 403, 50001);
        assertError(api.get("/guilds/" + fx.newId() + "/members", owner.token()), 404, 10004);
    }

    @Test
    void getMemberAndSearch() {
        Account owner = api.register("getter");
        long g = guild(api, owner);
        Account a = api.register("zephyr");
        Account b = api.register("zebra");
        Account outsider = api.register("zed");
        long role = fx.role(g, "crew", 1, 0);
        fx.join(g, a.id(), role);
        fx.join(g, b.id());

        var got = api.get("/guilds/" + g + "/members/" + a.id(), b.token());
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().at("/user/id").asText()).isEqualTo(Long.toString(a.id()));
        assertThat(got.json().at("/user/username").asText()).isEqualTo(a.username());
        assertThat(roleIds(got.json())).containsExactly(Long.toString(role));
        assertThat(got.json().get("nick").isNull()).isTrue();
        assertThat(got.json().get("deaf").asBoolean()).isFalse();

        assertError(api.get("/guilds/" + g + "/members/" + outsider.id(), owner.token()), 404, 10007);
        assertError(api.get("/guilds/" + g + "/members/" + fx.newId(), owner.token()), 404, 10007);
        assertError(api.get("/guilds/" + g + "/members/" + a.id(), outsider.token()), 403, 50001);
        var malformed = api.get("/guilds/" + g + "/members/nope", owner.token());
        assertError(malformed, 400, 50035);
        assertThat(malformed.json().at("/errors/user_id/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");

        var one = api.get("/guilds/" + g + "/members/search?query=ZE", owner.token());
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json()).as("limit defaults to 1").hasSize(1);
        var both = api.get("/guilds/" + g + "/members/search?query=ze&limit=10", owner.token());
        assertThat(ids(both.json())).containsExactlyInAnyOrder(Long.toString(a.id()), Long.toString(b.id()));
        assertThat(ids(api.get("/guilds/" + g + "/members/search?query=zeph&limit=10", owner.token()).json()))
                .containsExactly(Long.toString(a.id()));

        assertThat(api.patch("/guilds/" + g + "/members/" + b.id(), owner.token(), Map.of("nick", "Captain")).status()).isEqualTo(200);
        assertThat(ids(api.get("/guilds/" + g + "/members/search?query=capt&limit=10", owner.token()).json()))
                .as("nicks are searched too").containsExactly(Long.toString(b.id()));

        Account underscore = api.register("sx_y");
        Account lookalike = api.register("sxay");
        fx.join(g, underscore.id());
        fx.join(g, lookalike.id());
        assertThat(ids(api.get("/guilds/" + g + "/members/search?query=sx_&limit=10", owner.token()).json()))
                .as("'_' is matched literally, not as a wildcard").containsExactly(Long.toString(underscore.id()));
        assertThat(api.get("/guilds/" + g + "/members/search?query=%25&limit=10", owner.token()).json()).isEmpty();

        var missing = api.get("/guilds/" + g + "/members/search", owner.token());
        assertError(missing, 400, 50035);
        assertThat(missing.json().at("/errors/query/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        assertError(api.get("/guilds/" + g + "/members/search?query=ze&limit=1001", owner.token()), 400, 50035);
        assertError(api.get("/guilds/" + g + "/members/search?query=ze", outsider.token()), 403, 50001);
    }

    @Test
    void nicknamesNeedTheirPermissionsAndRankAboveTheTarget() {
        Account owner = api.register("nowner");
        long g = guild(api, owner);
        Account mod = api.register("nmod");
        Account peer = api.register("npeer");
        Account member = api.register("nmember");
        long modRole = fx.role(g, "mods", 2, bits(Permission.MANAGE_NICKNAMES));
        fx.join(g, mod.id(), modRole);
        fx.join(g, peer.id(), modRole);
        fx.join(g, member.id());
        String memberPath = "/guilds/" + g + "/members/" + member.id();

        server.events().clear();
        assertError(api.patch("/guilds/" + g + "/members/" + mod.id(), member.token(), Map.of("nick", "x")), 403, 50013);
        assertError(api.patch("/guilds/" + g + "/members/" + peer.id(), mod.token(), Map.of("nick", "x")), 403, 50013);
        assertError(api.patch("/guilds/" + g + "/members/" + owner.id(), mod.token(), Map.of("nick", "x")), 403, 50013);
        assertError(api.patch("/guilds/" + g + "/members/" + owner.id(), member.token(), Map.of("nick", "x")), 403, 50013);
        var tooLong = api.patch(memberPath, mod.token(), Map.of("nick", "n".repeat(33)));
        assertError(tooLong, 400, 50035);
        assertThat(tooLong.json().at("/errors/nick/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertError(api.patch(memberPath, mod.token(), Map.of("nick", 5)), 400, 50035);
        assertError(api.patch("/guilds/" + g + "/members/" + fx.newId(), mod.token(), Map.of("nick", "x")), 404, 10007);
        assertThat(server.events().all()).as("refused edits publish nothing").isEmpty();
        assertThat(fx.member(g, member.id()).orElseThrow().nick()).isNull();

        var renamed = api.patch(memberPath, mod.token(), Map.of("nick", "Newbie"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("nick").asText()).isEqualTo("Newbie");
        assertThat(renamed.json().has("guild_id")).isFalse();
        JsonNode update = data(single(server, DispatchType.GUILD_MEMBER_UPDATE));
        assertThat(single(server, DispatchType.GUILD_MEMBER_UPDATE).guildId()).isEqualTo(g);
        assertThat(update.get("guild_id").asText()).isEqualTo(Long.toString(g));
        assertThat(update.get("nick").asText()).isEqualTo("Newbie");
        assertThat(update.at("/user/id").asText()).isEqualTo(Long.toString(member.id()));
        assertThat(update.get("roles").isArray()).isTrue();
        assertThat(update.get("joined_at").asText()).isNotEmpty();

        server.events().clear();
        assertThat(api.patch(memberPath, owner.token(), Map.of("nick", "Newbie")).status()).isEqualTo(200);
        assertThat(server.events().all()).as("no change, no event").isEmpty();

        var cleared = api.patch(memberPath, owner.token(), new HashMap<>(java.util.Collections.singletonMap("nick", null)));
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().get("nick").isNull()).isTrue();
        assertThat(fx.member(g, member.id()).orElseThrow().nick()).isNull();
        assertThat(api.patch(memberPath, owner.token(), Map.of("nick", "Again")).status()).isEqualTo(200);
        assertThat(api.patch(memberPath, owner.token(), Map.of("nick", "")).json().get("nick").isNull()).as("empty clears").isTrue();

        // own nick: CHANGE_NICKNAME, which @everyone has by default, by either route
        server.events().clear();
        var self = api.patch("/guilds/" + g + "/members/@me", member.token(), Map.of("nick", "Me"));
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().get("nick").asText()).isEqualTo("Me");
        assertThat(data(single(server, DispatchType.GUILD_MEMBER_UPDATE)).get("nick").asText()).isEqualTo("Me");
        assertThat(api.patch(memberPath, member.token(), Map.of("nick", "Me2")).status()).isEqualTo(200);
        assertError(api.patch("/guilds/" + g + "/members/@me", member.token(), Map.of("nick", "m".repeat(40))), 400, 50035);

        fx.everyone(g, Permission.DEFAULT_EVERYONE & ~Permission.CHANGE_NICKNAME.bit);
        server.events().clear();
        assertError(api.patch("/guilds/" + g + "/members/@me", member.token(), Map.of("nick", "Nope")), 403, 50013);
        assertError(api.patch(memberPath, member.token(), Map.of("nick", "Nope")), 403, 50013);
        assertThat(server.events().all()).isEmpty();
        assertThat(fx.member(g, member.id()).orElseThrow().nick()).isEqualTo("Me2");
        assertThat(api.patch("/guilds/" + g + "/members/@me", owner.token(), Map.of("nick", "Boss")).status()).isEqualTo(200);
        assertError(api.patch("/guilds/" + g + "/members/@me", api.register("nout").token(), Map.of("nick", "x")), 403, 50001);
    }

    @Test
    void patchRolesChecksGuildHierarchyAndManagedRoles() {
        Account owner = api.register("rowner");
        long g = guild(api, owner);
        long other = guild(api, owner);
        Account manager = api.register("rmanager");
        Account member = api.register("rmember");
        long low = fx.role(g, "low", 1, 0);
        long managerRole = fx.role(g, "manager", 3, bits(Permission.MANAGE_ROLES));
        long high = fx.role(g, "high", 5, 0);
        long managed = fx.role(g, "SomeBot", 1, 0, true);
        long foreign = fx.role(other, "foreign", 1, 0);
        fx.join(g, manager.id(), managerRole);
        fx.join(g, member.id(), high);
        String path = "/guilds/" + g + "/members/" + member.id();

        server.events().clear();
        assertError(api.patch(path, member.token(), Map.of("roles", List.of(Long.toString(low)))), 403, 50013);
        var foreignRole = api.patch(path, manager.token(), Map.of("roles", List.of(Long.toString(high), Long.toString(foreign))));
        assertError(foreignRole, 400, 50035);
        assertThat(foreignRole.json().at("/errors/roles/_errors/0/code").asText()).isEqualTo("UNKNOWN_ROLE");
        assertError(api.patch(path, manager.token(), Map.of("roles", List.of(Long.toString(g)))), 400, 50035);
        assertError(api.patch(path, manager.token(), Map.of("roles", List.of("not-an-id"))), 400, 50035);
        assertError(api.patch(path, manager.token(), Map.of("roles", "x")), 400, 50035);
        assertError(api.patch(path, manager.token(), Map.of("roles", List.of())), 403, 50013); // removes "high", above the manager
        assertError(api.patch(path, manager.token(), Map.of("roles", List.of(Long.toString(high), Long.toString(managerRole)))), 403, 50013);
        assertError(api.patch(path, owner.token(), Map.of("roles", List.of(Long.toString(high), Long.toString(managed)))), 403, 50013);
        assertError(api.patch(path, manager.token(), Map.of("nick", "x", "roles", List.of(Long.toString(high), Long.toString(low)))), 403, 50013);
        assertThat(server.events().all()).isEmpty();
        assertThat(fx.member(g, member.id()).orElseThrow().roles()).containsExactly(high);

        // keeping a higher role the member already holds is fine; only what changes is checked
        var added = api.patch(path, manager.token(), Map.of("roles", List.of(Long.toString(high), Long.toString(low))));
        assertThat(added.status()).isEqualTo(200);
        assertThat(roleIds(added.json())).containsExactlyInAnyOrder(Long.toString(high), Long.toString(low));
        JsonNode update = data(single(server, DispatchType.GUILD_MEMBER_UPDATE));
        assertThat(update.get("guild_id").asText()).isEqualTo(Long.toString(g));
        assertThat(roleIds(update)).containsExactlyInAnyOrder(Long.toString(high), Long.toString(low));
        assertThat(fx.member(g, member.id()).orElseThrow().roles()).containsExactlyInAnyOrder(high, low);

        var ownerSets = api.patch(path, owner.token(), Map.of("roles", List.of(Long.toString(managerRole))));
        assertThat(ownerSets.status()).isEqualTo(200);
        assertThat(roleIds(ownerSets.json())).containsExactly(Long.toString(managerRole));
    }

    @Test
    void addAndRemoveOneRole() {
        Account owner = api.register("aowner");
        long g = guild(api, owner);
        long other = guild(api, owner);
        Account manager = api.register("amanager");
        Account member = api.register("amember");
        Account outsider = api.register("aoutsider");
        long low = fx.role(g, "low", 1, 0);
        long managerRole = fx.role(g, "manager", 3, bits(Permission.MANAGE_ROLES));
        long peerRole = fx.role(g, "peer", 3, 0);
        long managed = fx.role(g, "Bot", 1, 0, true);
        long foreign = fx.role(other, "foreign", 1, 0);
        fx.join(g, manager.id(), managerRole);
        fx.join(g, member.id());
        String base = "/guilds/" + g + "/members/" + member.id() + "/roles/";

        server.events().clear();
        assertError(api.put(base + low, member.token(), null), 403, 50013);
        assertError(api.put(base + foreign, manager.token(), null), 404, 10011);
        assertError(api.put(base + fx.newId(), manager.token(), null), 404, 10011);
        assertError(api.put(base + g, manager.token(), null), 404, 10011);
        assertError(api.put(base + peerRole, manager.token(), null), 403, 50013);
        assertError(api.put(base + managed, owner.token(), null), 403, 50013);
        assertError(api.put("/guilds/" + g + "/members/" + outsider.id() + "/roles/" + low, manager.token(), null), 404, 10007);
        assertError(api.put(base + low, outsider.token(), null), 403, 50001);
        assertThat(server.events().all()).isEmpty();

        var put = api.put(base + low, manager.token(), null);
        assertThat(put.status()).isEqualTo(204);
        assertThat(put.text()).isEmpty();
        JsonNode update = data(single(server, DispatchType.GUILD_MEMBER_UPDATE));
        assertThat(roleIds(update)).containsExactly(Long.toString(low));
        assertThat(update.at("/user/id").asText()).isEqualTo(Long.toString(member.id()));

        server.events().clear();
        assertThat(api.put(base + low, manager.token(), null).status()).isEqualTo(204);
        assertThat(server.events().all()).as("already held: nothing changes").isEmpty();

        assertThat(api.put(base + peerRole, owner.token(), null).status()).isEqualTo(204);
        server.events().clear();
        assertError(api.delete(base + peerRole, manager.token()), 403, 50013);
        assertThat(api.delete(base + low, manager.token()).status()).isEqualTo(204);
        assertThat(roleIds(data(single(server, DispatchType.GUILD_MEMBER_UPDATE)))).containsExactly(Long.toString(peerRole));
        assertThat(fx.member(g, member.id()).orElseThrow().roles()).containsExactly(peerRole);
        server.events().clear();
        assertThat(api.delete(base + low, manager.token()).status()).isEqualTo(204);
        assertThat(server.events().all()).isEmpty();
    }

    @Test
    void kickNeedsPermissionAndRankAndKeepsOverwrites() {
        Account owner = api.register("kowner");
        long g = guild(api, owner);
        Account mod = api.register("kmod");
        Account peer = api.register("kpeer");
        Account member = api.register("kmember");
        long modRole = fx.role(g, "mods", 2, bits(Permission.KICK_MEMBERS));
        fx.join(g, mod.id(), modRole);
        fx.join(g, peer.id(), modRole);
        fx.join(g, member.id());
        long channel = fx.general(g);
        fx.overwrite(channel, member.id(), Overwrite.MEMBER, bits(Permission.MANAGE_MESSAGES), 0);

        server.events().clear();
        assertError(api.delete("/guilds/" + g + "/members/" + peer.id(), member.token()), 403, 50013);
        assertError(api.delete("/guilds/" + g + "/members/" + peer.id(), mod.token()), 403, 50013);
        assertError(api.delete("/guilds/" + g + "/members/" + owner.id(), mod.token()), 403, 50013);
        assertError(api.delete("/guilds/" + g + "/members/" + owner.id(), owner.token()), 403, 50013);
        assertError(api.delete("/guilds/" + g + "/members/" + mod.id(), mod.token()), 403, 50013);
        assertError(api.delete("/guilds/" + g + "/members/" + api.register("knot").id(), mod.token()), 404, 10007);
        assertThat(server.events().all()).isEmpty();

        var kicked = api.delete("/guilds/" + g + "/members/" + member.id(), mod.token());
        assertThat(kicked.status()).isEqualTo(204);
        GatewayEvent remove = single(server, DispatchType.GUILD_MEMBER_REMOVE);
        assertThat(remove.guildId()).isEqualTo(g);
        assertThat(data(remove).get("guild_id").asText()).isEqualTo(Long.toString(g));
        assertThat(data(remove).at("/user/id").asText()).isEqualTo(Long.toString(member.id()));
        GatewayEvent delete = single(server, DispatchType.GUILD_DELETE);
        assertThat(delete.userIds()).containsExactly(member.id());
        assertThat(data(delete).get("id").asText()).isEqualTo(Long.toString(g));
        assertThat(data(delete).has("unavailable")).as("no 'unavailable': the user was removed").isFalse();

        assertThat(fx.member(g, member.id())).isEmpty();
        assertError(api.get("/guilds/" + g, member.token()), 403, 50001);
        assertError(api.get("/guilds/" + g + "/members/" + member.id(), owner.token()), 404, 10007);
        assertThat(fx.channels(g).stream().filter(c -> c.id() == channel).findFirst().orElseThrow().overwrites())
                .as("Discord keeps a departed member's overwrites").anyMatch(o -> o.id() == member.id());

        assertThat(api.delete("/guilds/" + g + "/members/" + peer.id(), owner.token()).status()).isEqualTo(204);
    }

    @Test
    void leaveGuild() {
        Account owner = api.register("leowner");
        long g = guild(api, owner);
        Account member = api.register("lemember");
        fx.join(g, member.id());

        server.events().clear();
        var ownerLeaves = api.delete("/users/@me/guilds/" + g, owner.token());
        assertError(ownerLeaves, 400, 50055);
        assertThat(api.version("v1").delete("/users/@me/guilds/" + g, owner.token()).json().get("code").asText()).isEqualTo("INVALID_GUILD");
        assertError(api.delete("/users/@me/guilds/" + fx.newId(), member.token()), 404, 10004);
        assertError(api.delete("/users/@me/guilds/" + g, api.register("lenot").token()), 404, 10004);
        assertThat(server.events().all()).isEmpty();

        assertThat(api.delete("/users/@me/guilds/" + g, member.token()).status()).isEqualTo(204);
        assertThat(data(single(server, DispatchType.GUILD_MEMBER_REMOVE)).at("/user/id").asText()).isEqualTo(Long.toString(member.id()));
        assertThat(single(server, DispatchType.GUILD_DELETE).userIds()).containsExactly(member.id());
        assertThat(fx.member(g, member.id())).isEmpty();
        var guilds = api.get("/users/@me/guilds", member.token());
        assertThat(guilds.json()).isEmpty();
        assertError(api.delete("/users/@me/guilds/" + g, member.token()), 404, 10004);
    }
}
