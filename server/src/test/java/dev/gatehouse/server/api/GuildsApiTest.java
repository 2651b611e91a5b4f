package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.StructureFixture.assertError;
import static dev.gatehouse.server.api.StructureFixture.assertFluxerError;
import static dev.gatehouse.server.api.StructureFixture.data;
import static dev.gatehouse.server.api.StructureFixture.fieldError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GuildsApiTest extends ServerPerClass {

    static StructureFixture fx;

    @BeforeAll
    static void start() {
        fx = new StructureFixture(server);
    }

    @Test
    void ownerModifiesTheGuildAndGuildUpdateCarriesIt() {
        Account owner = api.register("gowner");
        long guildId = fx.guild(owner);
        Map<String, Long> channels = fx.channels(guildId, owner);
        server.events().clear();

        Map<String, Object> body = new HashMap<>();
        body.put("name", "Renamed");
        body.put("description", "a place");
        body.put("afk_timeout", 900);
        body.put("verification_level", 2);
        body.put("default_message_notifications", 1);
        body.put("explicit_content_filter", 2);
        body.put("system_channel_id", Long.toString(channels.get("general")));
        body.put("afk_channel_id", Long.toString(channels.get("General")));
        var r = api.patch("/guilds/" + guildId, owner.token(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode g = r.json();
        assertThat(g.get("name").asText()).isEqualTo("Renamed");
        assertThat(g.get("description").asText()).isEqualTo("a place");
        assertThat(g.get("afk_timeout").asInt()).isEqualTo(900);
        assertThat(g.get("verification_level").asInt()).isEqualTo(2);
        assertThat(g.get("default_message_notifications").asInt()).isEqualTo(1);
        assertThat(g.get("explicit_content_filter").asInt()).isEqualTo(2);
        assertThat(g.get("afk_channel_id").asText()).isEqualTo(Long.toString(channels.get("General")));
        assertThat(g.get("system_channel_id").asText()).isEqualTo(Long.toString(channels.get("general")));

        JsonNode again = api.get("/guilds/" + guildId, owner.token()).json();
        assertThat(again.get("name").asText()).isEqualTo("Renamed");
        assertThat(again.get("afk_timeout").asInt()).isEqualTo(900);

        List<GatewayEvent> updates = fx.events(DispatchType.GUILD_UPDATE);
        assertThat(updates).hasSize(1);
        assertThat(updates.getFirst().guildId()).isEqualTo(guildId);
        assertThat(updates.getFirst().isDirected()).isFalse();
        JsonNode d = data(updates.getFirst());
        assertThat(d.get("id").isTextual()).isTrue();
        assertThat(d.get("name").asText()).isEqualTo("Renamed");
        assertThat(d.get("roles").isArray()).isTrue();
        assertThat(d.get("owner_id").asText()).isEqualTo(Long.toString(owner.id()));

        // null clears; absent keeps
        Map<String, Object> clear = new HashMap<>();
        clear.put("description", null);
        clear.put("afk_channel_id", null);
        JsonNode cleared = api.patch("/guilds/" + guildId, owner.token(), clear).json();
        assertThat(cleared.get("description").isNull()).isTrue();
        assertThat(cleared.get("afk_channel_id").isNull()).isTrue();
        assertThat(cleared.get("name").asText()).isEqualTo("Renamed");
        assertThat(cleared.get("system_channel_id").asText()).isEqualTo(Long.toString(channels.get("general")));
    }

    @Test
    void badFieldsAreAllReportedAndNothingIsWritten() {
        Account owner = api.register("gbad");
        long guildId = fx.guild(owner);
        Map<String, Long> channels = fx.channels(guildId, owner);
        Account other = api.register("gother");
        long otherGuild = fx.guild(other);
        long foreignText = fx.channels(otherGuild, other).get("general");
        JsonNode before = api.get("/guilds/" + guildId, owner.token()).json();
        server.events().clear();

        Map<String, Object> body = new HashMap<>();
        body.put("name", "x");
        body.put("afk_timeout", 61);
        body.put("verification_level", 5);
        body.put("default_message_notifications", 2);
        body.put("explicit_content_filter", 3);
        body.put("system_channel_id", Long.toString(channels.get("General"))); // a voice channel
        body.put("afk_channel_id", Long.toString(foreignText)); // another guild's channel
        body.put("description", "d".repeat(121));
        var r = api.patch("/guilds/" + guildId, owner.token(), body);
        assertError(r, 400, 50035);
        assertThat(fieldError(r, "/name")).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(fieldError(r, "/afk_timeout")).isEqualTo("BASE_TYPE_CHOICES");
        assertThat(fieldError(r, "/verification_level")).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(fieldError(r, "/default_message_notifications")).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(fieldError(r, "/explicit_content_filter")).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(fieldError(r, "/system_channel_id")).isEqualTo("CHANNEL_INVALID_TYPE");
        assertThat(fieldError(r, "/afk_channel_id")).isEqualTo("CHANNEL_INVALID");
        assertThat(fieldError(r, "/description")).isEqualTo("BASE_TYPE_BAD_LENGTH");

        // one good field next to a bad one still writes nothing
        var partlyBad = api.patch("/guilds/" + guildId, owner.token(), Map.of("name", "Fine name", "afk_timeout", 5));
        assertError(partlyBad, 400, 50035);
        assertThat(api.get("/guilds/" + guildId, owner.token()).json()).isEqualTo(before);
        assertThat(fx.events(DispatchType.GUILD_UPDATE)).isEmpty();
    }

    @Test
    void modifyingNeedsManageGuild() {
        Account owner = api.register("gperm");
        long guildId = fx.guild(owner);
        Account plain = fx.member(guildId, "gplain");
        Account manager = fx.memberWith(guildId, owner, "gmanager", Permission.MANAGE_GUILD);
        Account stranger = api.register("gstranger");
        server.events().clear();

        assertError(api.patch("/guilds/" + guildId, plain.token(), Map.of("name", "by plain")), 403, 50013);
        assertError(api.patch("/guilds/" + guildId, stranger.token(), Map.of("name", "by stranger")), 403, 50001);
        assertError(api.patch("/guilds/1234", owner.token(), Map.of("name", "unknown")), 404, 10004);
        assertError(api.patch("/guilds/not-a-snowflake", owner.token(), Map.of("name", "bad id")), 400, 50035);
        assertThat(fx.events(DispatchType.GUILD_UPDATE)).isEmpty();

        var fluxer = api.version("v1");
        assertFluxerError(fluxer.patch("/guilds/" + guildId, plain.token(), Map.of("name", "by plain")), 403, "MISSING_PERMISSIONS");
        assertFluxerError(fluxer.patch("/guilds/" + guildId, stranger.token(), Map.of("name", "x y")), 403, "MISSING_ACCESS");
        assertFluxerError(fluxer.patch("/guilds/1234", owner.token(), Map.of("name", "x y")), 404, "UNKNOWN_GUILD");
        var invalid = fluxer.patch("/guilds/" + guildId, owner.token(), Map.of("afk_timeout", 1));
        assertFluxerError(invalid, 400, "INVALID_FORM_BODY");
        assertThat(fieldError(invalid, "/afk_timeout")).isEqualTo("BASE_TYPE_CHOICES");

        var ok = api.patch("/guilds/" + guildId, manager.token(), Map.of("name", "by manager"));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(api.get("/guilds/" + guildId, plain.token()).json().get("name").asText()).isEqualTo("by manager");
    }

    @Test
    void onlyTheOwnerTransfersOwnershipAndOnlyToAMember() {
        Account owner = api.register("towner");
        long guildId = fx.guild(owner);
        Account admin = fx.memberWith(guildId, owner, "tadmin", Permission.ADMINISTRATOR);
        Account heir = fx.member(guildId, "their");
        Account outsider = api.register("toutsider");

        assertError(api.patch("/guilds/" + guildId, admin.token(), Map.of("owner_id", Long.toString(admin.id()))), 403, 50013);
        var notMember = api.patch("/guilds/" + guildId, owner.token(), Map.of("owner_id", Long.toString(outsider.id())));
        assertError(notMember, 400, 50035);
        assertThat(fieldError(notMember, "/owner_id")).isEqualTo("GUILD_OWNER_NOT_MEMBER");
        // naming the current owner is no transfer, so an admin may send it
        assertThat(api.patch("/guilds/" + guildId, admin.token(), Map.of("owner_id", Long.toString(owner.id()))).status()).isEqualTo(200);

        var moved = api.patch("/guilds/" + guildId, owner.token(), Map.of("owner_id", Long.toString(heir.id())));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("owner_id").asText()).isEqualTo(Long.toString(heir.id()));
        // the old owner is a plain member now
        assertError(api.patch("/guilds/" + guildId, owner.token(), Map.of("name", "mine again")), 403, 50013);
        assertError(api.delete("/guilds/" + guildId, owner.token()), 403, 50013);
        assertThat(api.delete("/guilds/" + guildId, heir.token()).status()).isEqualTo(204);
    }

    @Test
    void onlyTheOwnerDeletesAndGuildDeleteGoesToTheGuild() {
        Account owner = api.register("downer");
        long guildId = fx.guild(owner);
        Account admin = fx.memberWith(guildId, owner, "dadmin", Permission.ADMINISTRATOR);
        Account stranger = api.register("dstranger");
        server.events().clear();

        assertError(api.delete("/guilds/" + guildId, admin.token()), 403, 50013);
        assertError(api.delete("/guilds/" + guildId, stranger.token()), 403, 50001);
        assertError(api.delete("/guilds/987654321", owner.token()), 404, 10004);
        assertThat(fx.events(DispatchType.GUILD_DELETE)).isEmpty();
        assertThat(api.get("/guilds/" + guildId, admin.token()).status()).isEqualTo(200);

        var r = api.delete("/guilds/" + guildId, owner.token());
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.text()).isEmpty();
        assertError(api.get("/guilds/" + guildId, owner.token()), 404, 10004);
        assertError(api.get("/guilds/" + guildId + "/roles", admin.token()), 404, 10004);
        assertThat(api.get("/users/@me/guilds", admin.token()).json()).isEmpty();

        List<GatewayEvent> deletes = fx.events(DispatchType.GUILD_DELETE);
        assertThat(deletes).hasSize(1);
        assertThat(deletes.getFirst().guildId()).isEqualTo(guildId);
        JsonNode d = data(deletes.getFirst());
        assertThat(d.get("id").asText()).isEqualTo(Long.toString(guildId));
        assertThat(d.size()).as("GUILD_DELETE of a removal has no unavailable flag").isEqualTo(1);
    }
}
