package dev.gatehouse.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Store;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ApiClient.Response;
import dev.gatehouse.server.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Guilds, members and roles set up for the guild/channel/role API tests. */
final class StructureFixture {

    final TestServer server;
    final ApiClient api;

    StructureFixture(TestServer server) {
        this.server = server;
        this.api = server.api();
    }

    Store store() {
        return server.server().platform().context().store();
    }

    /** A new guild owned by the account; its id. */
    long guild(Account owner) {
        return api.createGuild(owner, "guild of " + owner.username()).get("id").asLong();
    }

    /** The guild's channels by name, as the owner sees them. */
    Map<String, Long> channels(long guildId, Account owner) {
        Response r = api.get("/guilds/" + guildId + "/channels", owner.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, Long> byName = new LinkedHashMap<>();
        r.json().forEach(c -> byName.put(c.get("name").asText(), c.get("id").asLong()));
        return byName;
    }

    /** A fresh account that has joined the guild. */
    Account member(long guildId, String prefix) {
        Account a = api.register(prefix);
        server.server().platform().members().join(guildId, a.id(), Set.of());
        return a;
    }

    /** A role made by the owner through the API; its id. */
    long role(long guildId, Account owner, String name, Permission... permissions) {
        Response r = api.post("/guilds/" + guildId + "/roles", owner.token(),
                Map.of("name", name, "permissions", Long.toString(Permission.of(permissions))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    void grant(long guildId, Account a, long roleId) {
        store().write(tx -> tx.members().addRole(guildId, a.id(), roleId));
    }

    /** A member holding a new role with exactly these permissions. */
    Account memberWith(long guildId, Account owner, String prefix, Permission... permissions) {
        Account a = member(guildId, prefix);
        grant(guildId, a, role(guildId, owner, prefix + "-role", permissions));
        return a;
    }

    /** An event's body as it goes on the wire. */
    static JsonNode data(GatewayEvent e) {
        return Json.mapper().valueToTree(e.data());
    }

    List<GatewayEvent> events(DispatchType type) {
        return server.events().of(type);
    }

    static void assertError(Response r, int status, int code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("code").asInt()).as(r.toString()).isEqualTo(code);
    }

    static void assertFluxerError(Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).as(r.toString()).isEqualTo(code);
    }

    /** The first field-error code at a JSON pointer under {@code errors} ({@code /parent_id}). */
    static String fieldError(Response r, String pointer) {
        return r.json().at("/errors" + pointer + "/_errors/0/code").asText();
    }
}
