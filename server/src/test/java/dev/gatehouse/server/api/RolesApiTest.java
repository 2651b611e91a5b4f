package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.StructureFixture.assertError;
import static dev.gatehouse.server.api.StructureFixture.assertFluxerError;
import static dev.gatehouse.server.api.StructureFixture.data;
import static dev.gatehouse.server.api.StructureFixture.fieldError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ApiClient.Response;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RolesApiTest extends ServerPerClass {

    static StructureFixture fx;

    @BeforeAll
    static void start() {
        fx = new StructureFixture(server);
    }

    private static String s(long id) {
        return Long.toString(id);
    }

    /** Role name to position, from GET /guilds/{id}/roles. */
    private static Map<String, Integer> positions(Response roles) {
        Map<String, Integer> out = new LinkedHashMap<>();
        roles.json().forEach(r -> out.put(r.get("name").asText(), r.get("position").asInt()));
        return out;
    }

    @Test
    void createdRolesGoToPositionOneAndTheOthersMoveUp() {
        Account owner = api.register("rowner");
        long guildId = fx.guild(owner);
        long first = fx.role(guildId, owner, "first");
        server.events().clear();

        Map<String, Object> body = new HashMap<>();
        body.put("name", "Moderators");
        body.put("permissions", s(Permission.of(Permission.KICK_MEMBERS, Permission.BAN_MEMBERS)));
        body.put("color", 0x3498db);
        body.put("hoist", true);
        body.put("mentionable", true);
        var r = api.post("/guilds/" + guildId + "/roles", owner.token(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode role = r.json();
        assertThat(role.get("name").asText()).isEqualTo("Moderators");
        assertThat(role.get("permissions").isTextual()).isTrue();
        assertThat(role.get("permissions").asText()).isEqualTo(s(Permission.of(Permission.KICK_MEMBERS, Permission.BAN_MEMBERS)));
        assertThat(role.get("color").asInt()).isEqualTo(0x3498db);
        assertThat(role.get("hoist").asBoolean()).isTrue();
        assertThat(role.get("mentionable").asBoolean()).isTrue();
        assertThat(role.get("managed").asBoolean()).isFalse();
        assertThat(role.get("position").asInt()).isEqualTo(1);
        long roleId = role.get("id").asLong();

        assertThat(positions(api.get("/guilds/" + guildId + "/roles", owner.token())))
                .containsExactly(Map.entry("@everyone", 0), Map.entry("Moderators", 1), Map.entry("first", 2));
        assertThat(api.get("/guilds/" + guildId + "/roles/" + roleId, owner.token()).json()).isEqualTo(role);

        List<GatewayEvent> creates = fx.events(DispatchType.GUILD_ROLE_CREATE);
        assertThat(creates).hasSize(1);
        assertThat(creates.getFirst().guildId()).isEqualTo(guildId);
        JsonNode d = data(creates.getFirst());
        assertThat(d.get("guild_id").asText()).isEqualTo(s(guildId));
        assertThat(d.get("role")).isEqualTo(role);
        List<GatewayEvent> shifted = fx.events(DispatchType.GUILD_ROLE_UPDATE);
        assertThat(shifted).hasSize(1);
        assertThat(data(shifted.getFirst()).at("/role/id").asText()).isEqualTo(s(first));
        assertThat(data(shifted.getFirst()).at("/role/position").asInt()).isEqualTo(2);
    }

    @Test
    void defaultsAreDiscordsAndBadFieldsWriteNothing() {
        Account owner = api.register("rdefaults");
        long guildId = fx.guild(owner);
        var r = api.post("/guilds/" + guildId + "/roles", owner.token(), Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("new role");
        assertThat(r.json().get("permissions").asText()).as("@everyone's permissions").isEqualTo(s(Permission.DEFAULT_EVERYONE));
        assertThat(r.json().get("color").asInt()).isZero();
        assertThat(r.json().get("hoist").asBoolean()).isFalse();

        int before = api.get("/guilds/" + guildId + "/roles", owner.token()).json().size();
        server.events().clear();
        var bad = api.post("/guilds/" + guildId + "/roles", owner.token(),
                Map.of("name", "n".repeat(101), "color", 0x1000000, "permissions", "lots", "hoist", "yes", "mentionable", 1));
        assertError(bad, 400, 50035);
        assertThat(fieldError(bad, "/name")).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(fieldError(bad, "/color")).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(fieldError(bad, "/permissions")).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(fieldError(bad, "/hoist")).isEqualTo("BOOLEAN_TYPE_CONVERT");
        assertThat(fieldError(bad, "/mentionable")).isEqualTo("BOOLEAN_TYPE_CONVERT");
        long roleId = r.json().get("id").asLong();
        var badPatch = api.patch("/guilds/" + guildId + "/roles/" + roleId, owner.token(), Map.of("name", "ok", "color", -1));
        assertThat(fieldError(badPatch, "/color")).isEqualTo("NUMBER_TYPE_MIN");
        assertThat(api.get("/guilds/" + guildId + "/roles", owner.token()).json().size()).isEqualTo(before);
        assertThat(api.get("/guilds/" + guildId + "/roles/" + roleId, owner.token()).json()).isEqualTo(r.json());
        assertThat(server.events().all()).isEmpty();
    }

    @Test
    void managingRolesNeedsManageRolesAndOnlyOwnPermissions() {
        Account owner = api.register("rperm");
        long guildId = fx.guild(owner);
        Account plain = fx.member(guildId, "rplain");
        Account manager = fx.memberWith(guildId, owner, "rmanager", Permission.MANAGE_ROLES, Permission.KICK_MEMBERS);
        Account admin = fx.memberWith(guildId, owner, "radmin", Permission.ADMINISTRATOR);
        Account stranger = api.register("rstranger");
        long target = fx.role(guildId, owner, "target");
        server.events().clear();

        assertError(api.post("/guilds/" + guildId + "/roles", plain.token(), Map.of("name", "x")), 403, 50013);
        assertError(api.patch("/guilds/" + guildId + "/roles/" + target, plain.token(), Map.of("name", "x")), 403, 50013);
        assertError(api.delete("/guilds/" + guildId + "/roles/" + target, plain.token()), 403, 50013);
        assertError(api.patch("/guilds/" + guildId + "/roles", plain.token(), List.of(Map.of("id", s(target), "position", 2))), 403, 50013);
        assertError(api.get("/guilds/" + guildId + "/roles", stranger.token()), 403, 50001);
        assertError(api.get("/guilds/" + guildId + "/roles/" + target, stranger.token()), 403, 50001);
        assertError(api.post("/guilds/" + guildId + "/roles", stranger.token(), Map.of("name", "x")), 403, 50001);
        assertError(api.get("/guilds/" + guildId + "/roles/123", owner.token()), 404, 10011);
        assertError(api.patch("/guilds/" + guildId + "/roles/123", owner.token(), Map.of("name", "x")), 404, 10011);
        assertError(api.delete("/guilds/" + guildId + "/roles/123", owner.token()), 404, 10011);
        assertError(api.get("/guilds/123/roles", owner.token()), 404, 10004);
        assertFluxerError(api.version("v1").get("/guilds/" + guildId + "/roles/123", owner.token()), 404, "UNKNOWN_ROLE");
        assertFluxerError(api.version("v1").post("/guilds/" + guildId + "/roles", plain.token(), Map.of()), 403, "MISSING_PERMISSIONS");

        // another guild's role is unknown here
        Account other = api.register("rother");
        long otherGuild = fx.guild(other);
        long foreign = fx.role(otherGuild, other, "foreign");
        assertError(api.get("/guilds/" + guildId + "/roles/" + foreign, owner.token()), 404, 10011);
        assertError(api.delete("/guilds/" + guildId + "/roles/" + foreign, owner.token()), 404, 10011);
        assertError(api.get("/guilds/" + guildId + "/roles/" + otherGuild, owner.token()), 404, 10011);

        // plain members read the roles
        assertThat(api.get("/guilds/" + guildId + "/roles", plain.token()).json()).extracting(r -> r.get("name").asText())
                .containsExactly("@everyone", "target", "radmin-role", "rmanager-role");
        server.events().clear();

        var tooStrong = api.post("/guilds/" + guildId + "/roles", manager.token(),
                Map.of("name", "x", "permissions", s(Permission.of(Permission.BAN_MEMBERS))));
        assertError(tooStrong, 403, 50013);
        var raise = api.patch("/guilds/" + guildId + "/roles/" + target, manager.token(),
                Map.of("permissions", s(Permission.ADMINISTRATOR.bit)));
        assertError(raise, 403, 50013);
        assertThat(server.events().all()).isEmpty();
        var own = api.post("/guilds/" + guildId + "/roles", manager.token(),
                Map.of("name", "kickers", "permissions", s(Permission.KICK_MEMBERS.bit)));
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        var byAdmin = api.post("/guilds/" + guildId + "/roles", admin.token(),
                Map.of("name", "banners", "permissions", s(Permission.BAN_MEMBERS.bit)));
        assertThat(byAdmin.status()).as("administrators have every bit").isEqualTo(200);
        assertThat(api.get("/guilds/" + guildId + "/roles/" + target, owner.token()).json().get("permissions").asText()).isEqualTo("0");
    }

    @Test
    void onlyRolesBelowTheCallersHighestCanBeManaged() {
        Account owner = api.register("rhier");
        long guildId = fx.guild(owner);
        long low = fx.role(guildId, owner, "low");
        long mid = fx.role(guildId, owner, "mid", Permission.MANAGE_ROLES);
        long high = fx.role(guildId, owner, "high");
        // positions now: high 1, mid 2, low 3; make it low 1, mid 2, high 3
        var order = api.patch("/guilds/" + guildId + "/roles", owner.token(),
                List.of(Map.of("id", s(low), "position", 1), Map.of("id", s(mid), "position", 2), Map.of("id", s(high), "position", 3)));
        assertThat(order.status()).as(order.toString()).isEqualTo(200);
        Account manager = fx.member(guildId, "rmid");
        fx.grant(guildId, manager, mid);
        server.events().clear();

        var lower = api.patch("/guilds/" + guildId + "/roles/" + low, manager.token(), Map.of("name", "lower", "color", 5));
        assertThat(lower.status()).as(lower.toString()).isEqualTo(200);
        assertThat(lower.json().get("name").asText()).isEqualTo("lower");
        List<GatewayEvent> updates = fx.events(DispatchType.GUILD_ROLE_UPDATE);
        assertThat(updates).hasSize(1);
        assertThat(data(updates.getFirst()).get("guild_id").asText()).isEqualTo(s(guildId));
        assertThat(data(updates.getFirst()).get("role")).isEqualTo(lower.json());

        server.events().clear();
        assertError(api.patch("/guilds/" + guildId + "/roles/" + mid, manager.token(), Map.of("name", "self")), 403, 50013);
        assertError(api.patch("/guilds/" + guildId + "/roles/" + high, manager.token(), Map.of("name", "up")), 403, 50013);
        assertError(api.delete("/guilds/" + guildId + "/roles/" + high, manager.token()), 403, 50013);
        assertError(api.patch("/guilds/" + guildId + "/roles", manager.token(), List.of(Map.of("id", s(low), "position", 3))), 403, 50013);
        assertError(api.patch("/guilds/" + guildId + "/roles", manager.token(), List.of(Map.of("id", s(high), "position", 1))), 403, 50013);
        assertThat(positions(api.get("/guilds/" + guildId + "/roles", owner.token())))
                .containsExactly(Map.entry("@everyone", 0), Map.entry("lower", 1), Map.entry("mid", 2), Map.entry("high", 3));
        assertThat(server.events().all()).isEmpty();

        assertThat(api.patch("/guilds/" + guildId + "/roles/" + high, owner.token(), Map.of("name", "top")).status()).isEqualTo(200);
        assertThat(api.delete("/guilds/" + guildId + "/roles/" + low, manager.token()).status()).isEqualTo(204);
    }

    @Test
    void everyoneKeepsItsNameAndPlaceAndCannotBeDeleted() {
        Account owner = api.register("reveryone");
        long guildId = fx.guild(owner);
        server.events().clear();

        var rename = api.patch("/guilds/" + guildId + "/roles/" + guildId, owner.token(), Map.of("name", "everybody"));
        assertError(rename, 400, 50035);
        assertThat(fieldError(rename, "/name")).isEqualTo("ROLE_EVERYONE_NAME");
        assertError(api.delete("/guilds/" + guildId + "/roles/" + guildId, owner.token()), 400, 50028);
        assertFluxerError(api.version("v1").delete("/guilds/" + guildId + "/roles/" + guildId, owner.token()), 400, "INVALID_ROLE");
        var move = api.patch("/guilds/" + guildId + "/roles", owner.token(), List.of(Map.of("id", s(guildId), "position", 3)));
        assertError(move, 400, 50035);
        assertThat(fieldError(move, "/0/position")).isEqualTo("ROLE_EVERYONE_POSITION");
        assertThat(server.events().all()).isEmpty();

        long perms = Permission.of(Permission.VIEW_CHANNEL, Permission.SEND_MESSAGES);
        var narrowed = api.patch("/guilds/" + guildId + "/roles/" + guildId, owner.token(),
                Map.of("name", "@everyone", "permissions", s(perms)));
        assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
        assertThat(narrowed.json().get("permissions").asText()).isEqualTo(s(perms));
        assertThat(narrowed.json().get("position").asInt()).isZero();
    }

    @Test
    void deletingARoleTakesItFromMembersAndOverwrites() {
        Account owner = api.register("rdel");
        long guildId = fx.guild(owner);
        long general = fx.channels(guildId, owner).get("general");
        long roleId = fx.role(guildId, owner, "doomed", Permission.KICK_MEMBERS);
        Account member = fx.member(guildId, "rdelmember");
        fx.grant(guildId, member, roleId);
        assertThat(api.put("/channels/" + general + "/permissions/" + roleId, owner.token(),
                Map.of("type", 0, "allow", s(Permission.MANAGE_MESSAGES.bit))).status()).isEqualTo(204);
        server.events().clear();

        var r = api.delete("/guilds/" + guildId + "/roles/" + roleId, owner.token());
        assertThat(r.status()).isEqualTo(204);
        assertError(api.get("/guilds/" + guildId + "/roles/" + roleId, owner.token()), 404, 10011);
        assertThat(fx.store().read(tx -> tx.members().find(guildId, member.id())).orElseThrow().roles()).doesNotContain(roleId);
        assertThat(api.get("/channels/" + general, owner.token()).json().get("permission_overwrites")).isEmpty();

        List<GatewayEvent> deletes = fx.events(DispatchType.GUILD_ROLE_DELETE);
        assertThat(deletes).hasSize(1);
        assertThat(deletes.getFirst().guildId()).isEqualTo(guildId);
        JsonNode d = data(deletes.getFirst());
        assertThat(d.get("guild_id").asText()).isEqualTo(s(guildId));
        assertThat(d.get("role_id").asText()).isEqualTo(s(roleId));
        List<GatewayEvent> channelUpdates = fx.events(DispatchType.CHANNEL_UPDATE);
        assertThat(channelUpdates).hasSize(1);
        assertThat(channelUpdates.getFirst().channelId()).isEqualTo(general);
        assertThat(data(channelUpdates.getFirst()).get("permission_overwrites")).isEmpty();
    }

    @Test
    void reorderingNumbersTheRolesAgainAndAnswersThemAll() {
        Account owner = api.register("rorder");
        long guildId = fx.guild(owner);
        long a = fx.role(guildId, owner, "a");
        long b = fx.role(guildId, owner, "b");
        long c = fx.role(guildId, owner, "c");
        // each new role goes to 1: c 1, b 2, a 3
        assertThat(positions(api.get("/guilds/" + guildId + "/roles", owner.token())))
                .containsExactly(Map.entry("@everyone", 0), Map.entry("c", 1), Map.entry("b", 2), Map.entry("a", 3));
        server.events().clear();

        var up = api.patch("/guilds/" + guildId + "/roles", owner.token(), List.of(Map.of("id", s(c), "position", 3)));
        assertThat(up.status()).as(up.toString()).isEqualTo(200);
        assertThat(positions(up)).containsExactly(Map.entry("@everyone", 0), Map.entry("b", 1), Map.entry("a", 2), Map.entry("c", 3));
        assertThat(positions(api.get("/guilds/" + guildId + "/roles", owner.token()))).isEqualTo(positions(up));
        assertThat(fx.events(DispatchType.GUILD_ROLE_UPDATE)).as("every role moved").hasSize(3);

        server.events().clear();
        var down = api.patch("/guilds/" + guildId + "/roles", owner.token(), List.of(Map.of("id", s(c), "position", 1)));
        assertThat(positions(down)).containsExactly(Map.entry("@everyone", 0), Map.entry("c", 1), Map.entry("b", 2), Map.entry("a", 3));
        assertThat(fx.events(DispatchType.GUILD_ROLE_UPDATE)).extracting(e -> data(e).at("/role/id").asText())
                .containsExactlyInAnyOrder(s(a), s(b), s(c));

        server.events().clear();
        Account other = api.register("rorderother");
        long foreign = fx.role(fx.guild(other), other, "foreign");
        server.events().clear();
        var bad = api.patch("/guilds/" + guildId + "/roles", owner.token(),
                List.of(Map.of("id", s(a), "position", 1), Map.of("id", s(foreign), "position", 2), Map.of("id", s(a), "position", 2), "x"));
        assertError(bad, 400, 50035);
        assertThat(fieldError(bad, "/1/id")).isEqualTo("UNKNOWN_ROLE");
        assertThat(fieldError(bad, "/2/id")).isEqualTo("ROLE_DUPLICATE");
        assertThat(fieldError(bad, "/3")).isEqualTo("DICT_TYPE_CONVERT");
        assertThat(positions(api.get("/guilds/" + guildId + "/roles", owner.token()))).isEqualTo(positions(down));
        assertThat(server.events().all()).isEmpty();
    }

    @Test
    void aGuildHoldsAtMost250Roles() {
        Account owner = api.register("rlimit");
        long guildId = fx.guild(owner);
        var ids = server.server().platform().context().ids();
        fx.store().write(tx -> {
            for (int i = 0; i < 249; i++) {
                tx.roles().insert(new Role(ids.next(), guildId, "filler " + i, 0, false, i + 1, 0, false, false));
            }
            return null;
        });
        assertError(api.post("/guilds/" + guildId + "/roles", owner.token(), Map.of("name", "one more")), 400, 30005);
        assertThat(api.get("/guilds/" + guildId + "/roles", owner.token()).json().size()).isEqualTo(250);
    }
}
