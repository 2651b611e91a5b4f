package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.MembershipFixtures.assertError;
import static dev.gatehouse.server.api.MembershipFixtures.bits;
import static dev.gatehouse.server.api.MembershipFixtures.data;
import static dev.gatehouse.server.api.MembershipFixtures.guild;
import static dev.gatehouse.server.api.MembershipFixtures.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OAuth2AuthorizeTest extends ServerPerClass {

    static MembershipFixtures fx;

    @BeforeAll
    static void start() {
        fx = new MembershipFixtures(server);
    }

    private static ApiClient.Response authorize(Account who, String query, Object body) {
        return api.post("/oauth2/authorize?" + query, who.token(), body);
    }

    private static Map<String, Object> body(long guildId, long permissions) {
        return Map.of("guild_id", Long.toString(guildId), "permissions", Long.toString(permissions), "authorize", true);
    }

    @Test
    void addsTheBotWithAManagedRoleForItsPermissions() {
        Account owner = api.register("oowner");
        long g = guild(api, owner);
        Account bot = api.createBot(owner, "HelperBot");
        long perms = bits(Permission.VIEW_CHANNEL, Permission.SEND_MESSAGES, Permission.KICK_MEMBERS);

        server.events().clear();
        var r = authorize(owner, "client_id=" + bot.id() + "&scope=bot%20applications.commands&permissions=" + perms, body(g, perms));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("location").asText()).contains("guild_id=" + g);

        List<GatewayEvent> events = server.events().all();
        assertThat(events).extracting(GatewayEvent::type)
                .as("the role exists before the member that holds it")
                .containsExactly(DispatchType.GUILD_ROLE_CREATE, DispatchType.GUILD_MEMBER_ADD, DispatchType.GUILD_CREATE);
        JsonNode roleEvent = data(events.get(0));
        assertThat(events.get(0).guildId()).isEqualTo(g);
        assertThat(roleEvent.get("guild_id").asText()).isEqualTo(Long.toString(g));
        JsonNode role = roleEvent.get("role");
        assertThat(role.get("name").asText()).isEqualTo("HelperBot");
        assertThat(role.get("managed").asBoolean()).isTrue();
        assertThat(role.get("permissions").asText()).isEqualTo(Long.toString(perms));
        String roleId = role.get("id").asText();
        JsonNode add = data(events.get(1));
        assertThat(add.at("/user/id").asText()).isEqualTo(Long.toString(bot.id()));
        assertThat(add.at("/user/bot").asBoolean()).isTrue();
        assertThat(add.get("roles")).hasSize(1);
        assertThat(add.at("/roles/0").asText()).isEqualTo(roleId);
        assertThat(events.get(2).userIds()).containsExactly(bot.id());

        assertThat(api.get("/guilds/" + g, bot.token()).status()).as("the bot is in").isEqualTo(200);
        assertThat(fx.member(g, bot.id()).orElseThrow().roles()).containsExactly(Long.parseLong(roleId));
        assertError(api.delete("/guilds/" + g + "/members/" + bot.id() + "/roles/" + roleId, owner.token()), 403, 50013);

        // again: the bot is there already; nothing is created or announced
        server.events().clear();
        assertThat(authorize(owner, "client_id=" + bot.id() + "&scope=bot", body(g, perms)).status()).isEqualTo(200);
        assertThat(server.events().all()).isEmpty();
        long botRoles = fx.platform().context().store().read(tx -> tx.roles().list(g)).stream().filter(x -> x.managed()).count();
        assertThat(botRoles).isEqualTo(1);
    }

    @Test
    void withoutPermissionsTheBotJoinsWithoutARole() {
        Account owner = api.register("zowner");
        long g = guild(api, owner);
        Account bot = api.createBot(owner, "PlainBot");

        server.events().clear();
        var r = authorize(owner, "client_id=" + bot.id() + "&scope=bot",
                Map.of("guild_id", Long.toString(g), "authorize", true));
        assertThat(r.status()).isEqualTo(200);
        assertThat(server.events().of(DispatchType.GUILD_ROLE_CREATE)).isEmpty();
        assertThat(data(single(server, DispatchType.GUILD_MEMBER_ADD)).get("roles")).isEmpty();

        // permissions from the query are used when the body has none
        long g2 = guild(api, owner);
        long perms = bits(Permission.VIEW_CHANNEL);
        server.events().clear();
        assertThat(authorize(owner, "client_id=" + bot.id() + "&scope=bot&permissions=" + perms,
                Map.of("guild_id", Long.toString(g2), "authorize", true)).status()).isEqualTo(200);
        assertThat(data(single(server, DispatchType.GUILD_ROLE_CREATE)).at("/role/permissions").asText()).isEqualTo(Long.toString(perms));
    }

    @Test
    void refusalsWriteNothing() {
        Account owner = api.register("fowner");
        long g = guild(api, owner);
        Account bot = api.createBot(owner, "GuardBot");
        Account manager = api.register("fmanager");
        Account member = api.register("fmember");
        fx.join(g, manager.id(), fx.role(g, "managers", 1, bits(Permission.MANAGE_GUILD, Permission.VIEW_CHANNEL)));
        fx.join(g, member.id());
        String ok = "client_id=" + bot.id() + "&scope=bot";

        server.events().clear();
        assertError(authorize(owner, "client_id=" + fx.newId() + "&scope=bot", body(g, 0)), 404, 10002);
        var unknownScope = authorize(owner, "client_id=" + bot.id() + "&scope=bot%20admin", body(g, 0));
        assertError(unknownScope, 400, 50035);
        assertThat(unknownScope.json().at("/errors/scope/_errors/0/code").asText()).isEqualTo("SCOPE_INVALID");
        assertThat(authorize(owner, "client_id=" + bot.id() + "&scope=identify", body(g, 0))
                .json().at("/errors/scope/_errors/0/code").asText()).as("user scopes need response_type=code").isEqualTo("SCOPE_BOT_REQUIRED");
        assertThat(authorize(owner, "client_id=" + bot.id() + "&scope=applications.commands", body(g, 0))
                .json().at("/errors/scope/_errors/0/code").asText()).isEqualTo("SCOPE_BOT_REQUIRED");
        var nothing = authorize(owner, "", Map.of());
        assertError(nothing, 400, 50035);
        assertThat(nothing.json().at("/errors/client_id/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(nothing.json().at("/errors/scope/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(nothing.json().at("/errors/guild_id/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(nothing.json().at("/errors/authorize/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        assertError(authorize(owner, "client_id=abc&scope=bot", body(g, 0)), 400, 50035);
        assertError(authorize(owner, ok + "&permissions=lots", body(g, 0)), 400, 50035);
        assertError(authorize(owner, ok, Map.of("guild_id", Long.toString(g), "permissions", "x", "authorize", true)), 400, 50035);
        assertError(authorize(member, ok, body(g, 0)), 403, 50013);
        assertError(authorize(manager, ok, body(g, bits(Permission.ADMINISTRATOR))), 403, 50013);
        assertError(authorize(manager, ok, body(g, bits(Permission.BAN_MEMBERS))), 403, 50013);
        assertError(authorize(api.register("fout"), ok, body(g, 0)), 403, 50001);
        assertError(authorize(owner, ok, body(fx.newId(), 0)), 404, 10004);
        assertError(authorize(bot, ok, body(g, 0)), 403, 20001);
        assertThat(server.events().all()).isEmpty();
        assertThat(fx.member(g, bot.id())).isEmpty();
        assertThat(fx.platform().context().store().read(tx -> tx.roles().list(g)).stream().noneMatch(x -> x.managed())).isTrue();

        var declined = authorize(owner, ok, Map.of("guild_id", Long.toString(g), "authorize", false));
        assertThat(declined.status()).isEqualTo(200);
        assertThat(declined.json().get("location").asText()).contains("error=access_denied");
        assertThat(fx.member(g, bot.id())).isEmpty();

        // a private application's bot can only be added by its owner
        fx.platform().context().store().write(tx -> {
            Application app = tx.applications().find(bot.id()).orElseThrow();
            tx.applications().update(new Application(app.id(), app.name(), app.description(), app.ownerId(), app.flags(), false, app.createdAt()));
            return null;
        });
        assertError(authorize(manager, ok, body(g, bits(Permission.VIEW_CHANNEL))), 403, 50013);
        assertThat(fx.member(g, bot.id())).isEmpty();

        // what the manager holds may be granted
        assertThat(authorize(owner, ok, body(g, bits(Permission.VIEW_CHANNEL))).status()).isEqualTo(200);
        assertThat(fx.member(g, bot.id())).isPresent();

        Account other = api.createBot(owner, "OtherBot");
        assertThat(authorize(manager, "client_id=" + other.id() + "&scope=bot", body(g, bits(Permission.MANAGE_GUILD))).status()).isEqualTo(200);
    }

    @Test
    void bannedBotsCannotBeAdded() {
        Account owner = api.register("xowner");
        long g = guild(api, owner);
        Account bot = api.createBot(owner, "BannedBot");
        assertThat(api.put("/guilds/" + g + "/bans/" + bot.id(), owner.token(), null).status()).isEqualTo(204);
        server.events().clear();
        assertError(authorize(owner, "client_id=" + bot.id() + "&scope=bot", body(g, bits(Permission.VIEW_CHANNEL))), 403, 40007);
        assertThat(server.events().all()).isEmpty();
        assertThat(fx.platform().context().store().read(tx -> tx.roles().list(g)).stream().noneMatch(x -> x.managed()))
                .as("the role made for the join was rolled back with it").isTrue();
    }

    @Test
    void authorizePageListsTheGuildsTheUserManages() {
        Account owner = api.register("powner");
        long managed = guild(api, owner);
        Account user = api.register("puser");
        long own = guild(api, user);
        fx.join(managed, user.id());
        Account bot = api.createBot(owner, "PageBot");

        var page = api.get("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", user.token());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().at("/application/id").asText()).isEqualTo(Long.toString(bot.id()));
        assertThat(page.json().at("/application/name").asText()).isEqualTo("PageBot");
        assertThat(page.json().at("/bot/id").asText()).isEqualTo(Long.toString(bot.id()));
        assertThat(page.json().at("/user/id").asText()).isEqualTo(Long.toString(user.id()));
        List<String> guilds = StreamSupport.stream(page.json().get("guilds").spliterator(), false).map(x -> x.get("id").asText()).toList();
        assertThat(guilds).as("only where the user has MANAGE_GUILD").containsExactly(Long.toString(own));
        assertThat(page.json().at("/guilds/0/permissions").asText()).isEqualTo(Long.toString(Permission.ALL));

        assertError(api.get("/oauth2/authorize?client_id=" + fx.newId() + "&scope=bot", user.token()), 404, 10002);
        assertError(api.get("/oauth2/authorize?client_id=" + bot.id() + "&scope=email", user.token()), 400, 50035);
        assertError(api.get("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", bot.token()), 403, 20001);
    }
}
