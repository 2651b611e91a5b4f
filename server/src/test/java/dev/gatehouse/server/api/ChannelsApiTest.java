package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.StructureFixture.assertError;
import static dev.gatehouse.server.api.StructureFixture.assertFluxerError;
import static dev.gatehouse.server.api.StructureFixture.data;
import static dev.gatehouse.server.api.StructureFixture.fieldError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ApiClient.Response;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChannelsApiTest extends ServerPerClass {

    static StructureFixture fx;

    @BeforeAll
    static void start() {
        fx = new StructureFixture(server);
    }

    private static String s(long id) {
        return Long.toString(id);
    }

    private static List<String> names(Response list) {
        List<String> names = new ArrayList<>();
        list.json().forEach(c -> names.add(c.get("name").asText()));
        return names;
    }

    private static Map<String, Object> overwrite(long id, int type, long allow, long deny) {
        return Map.of("id", s(id), "type", type, "allow", s(allow), "deny", s(deny));
    }

    @Test
    void createsTextVoiceAndCategoryChannelsAndPublishesChannelCreate() {
        Account owner = api.register("cowner");
        long guildId = fx.guild(owner);
        server.events().clear();

        var category = api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "Staff Area", "type", 4));
        assertThat(category.status()).as(category.toString()).isEqualTo(201);
        long categoryId = category.json().get("id").asLong();
        assertThat(category.json().get("type").asInt()).isEqualTo(4);
        assertThat(category.json().get("name").asText()).as("categories keep their case").isEqualTo("Staff Area");

        Map<String, Object> text = new HashMap<>();
        text.put("name", "Team Chat");
        text.put("topic", "plans");
        text.put("nsfw", true);
        text.put("rate_limit_per_user", 30);
        text.put("parent_id", s(categoryId));
        var created = api.post("/guilds/" + guildId + "/channels", owner.token(), text);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode c = created.json();
        assertThat(c.get("name").asText()).as("text channel names are lower-case with dashes").isEqualTo("team-chat");
        assertThat(c.get("type").asInt()).isZero();
        assertThat(c.get("guild_id").asText()).isEqualTo(s(guildId));
        assertThat(c.get("topic").asText()).isEqualTo("plans");
        assertThat(c.get("nsfw").asBoolean()).isTrue();
        assertThat(c.get("rate_limit_per_user").asInt()).isEqualTo(30);
        assertThat(c.get("parent_id").asText()).isEqualTo(s(categoryId));
        assertThat(c.get("permission_overwrites").isArray()).isTrue();
        assertThat(c.get("position").asInt()).isZero();

        var voice = api.post("/guilds/" + guildId + "/channels", owner.token(),
                Map.of("name", "Talk Room", "type", 2, "bitrate", 32000, "user_limit", 5, "topic", "ignored for voice"));
        assertThat(voice.status()).as(voice.toString()).isEqualTo(201);
        assertThat(voice.json().get("name").asText()).isEqualTo("Talk Room");
        assertThat(voice.json().get("bitrate").asInt()).isEqualTo(32000);
        assertThat(voice.json().get("user_limit").asInt()).isEqualTo(5);
        assertThat(voice.json().has("topic")).isFalse();

        long channelId = c.get("id").asLong();
        var fetched = api.get("/channels/" + channelId, owner.token());
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(c);
        assertThat(names(api.get("/guilds/" + guildId + "/channels", owner.token())))
                .contains("Staff Area", "team-chat", "Talk Room", "general");

        List<GatewayEvent> events = fx.events(DispatchType.CHANNEL_CREATE);
        assertThat(events).hasSize(3);
        GatewayEvent e = events.get(1);
        assertThat(e.guildId()).isEqualTo(guildId);
        assertThat(e.channelId()).isEqualTo(channelId);
        assertThat(data(e)).isEqualTo(c);
    }

    @Test
    void invalidChannelBodiesReportEveryFieldAndCreateNothing() {
        Account owner = api.register("cbad");
        long guildId = fx.guild(owner);
        int before = api.get("/guilds/" + guildId + "/channels", owner.token()).json().size();
        server.events().clear();

        Map<String, Object> body = new HashMap<>();
        body.put("type", 3);
        body.put("topic", "t".repeat(1025));
        body.put("bitrate", 7999);
        body.put("user_limit", 100);
        body.put("rate_limit_per_user", 21601);
        body.put("position", "first");
        body.put("permission_overwrites", List.of(Map.of("id", "nope", "type", 5), Map.of("id", "1", "allow", "x")));
        var r = api.post("/guilds/" + guildId + "/channels", owner.token(), body);
        assertError(r, 400, 50035);
        assertThat(fieldError(r, "/name")).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(fieldError(r, "/type")).isEqualTo("BASE_TYPE_CHOICES");
        assertThat(fieldError(r, "/topic")).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(fieldError(r, "/bitrate")).isEqualTo("NUMBER_TYPE_MIN");
        assertThat(fieldError(r, "/user_limit")).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(fieldError(r, "/rate_limit_per_user")).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(fieldError(r, "/position")).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(fieldError(r, "/permission_overwrites/0/id")).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(fieldError(r, "/permission_overwrites/0/type")).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(fieldError(r, "/permission_overwrites/1/type")).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(fieldError(r, "/permission_overwrites/1/allow")).isEqualTo("NUMBER_TYPE_COERCE");

        assertThat(fieldError(api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "   ")), "/name"))
                .isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(fieldError(api.post("/guilds/" + guildId + "/channels", owner.token(), "[1]"), ""))
                .isEqualTo("DICT_TYPE_CONVERT");
        assertError(api.post("/guilds/" + guildId + "/channels", owner.token(), "{not json"), 400, 50109);

        assertThat(api.get("/guilds/" + guildId + "/channels", owner.token()).json().size()).isEqualTo(before);
        assertThat(fx.events(DispatchType.CHANNEL_CREATE)).isEmpty();
    }

    @Test
    void parentsMustBeCategoriesOfTheSameGuild() {
        Account owner = api.register("cparent");
        long guildId = fx.guild(owner);
        Map<String, Long> mine = fx.channels(guildId, owner);
        Account other = api.register("cparentother");
        long otherGuild = fx.guild(other);
        long foreignCategory = fx.channels(otherGuild, other).get("Text Channels");
        server.events().clear();

        var foreign = api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "x", "parent_id", s(foreignCategory)));
        assertError(foreign, 400, 50035);
        assertThat(fieldError(foreign, "/parent_id")).isEqualTo("CHANNEL_PARENT_INVALID");
        var notCategory = api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "x", "parent_id", s(mine.get("general"))));
        assertThat(fieldError(notCategory, "/parent_id")).isEqualTo("CHANNEL_PARENT_INVALID_TYPE");
        var nested = api.post("/guilds/" + guildId + "/channels", owner.token(),
                Map.of("name", "x", "type", 4, "parent_id", s(mine.get("Text Channels"))));
        assertThat(fieldError(nested, "/parent_id")).isEqualTo("CHANNEL_PARENT_INVALID_TYPE");

        long general = mine.get("general");
        JsonNode before = api.get("/channels/" + general, owner.token()).json();
        var moved = api.patch("/channels/" + general, owner.token(), Map.of("parent_id", s(foreignCategory), "name", "renamed"));
        assertError(moved, 400, 50035);
        assertThat(fieldError(moved, "/parent_id")).isEqualTo("CHANNEL_PARENT_INVALID");
        assertThat(api.get("/channels/" + general, owner.token()).json()).isEqualTo(before);

        var reorder = api.patch("/guilds/" + guildId + "/channels", owner.token(),
                List.of(Map.of("id", s(general), "parent_id", s(foreignCategory))));
        assertError(reorder, 400, 50035);
        assertThat(fieldError(reorder, "/0/parent_id")).isEqualTo("CHANNEL_PARENT_INVALID");
        assertThat(api.get("/channels/" + general, owner.token()).json()).isEqualTo(before);

        assertThat(fx.events(DispatchType.CHANNEL_CREATE)).isEmpty();
        assertThat(fx.events(DispatchType.CHANNEL_UPDATE)).isEmpty();
    }

    @Test
    void permissionsAndUnknownIds() {
        Account owner = api.register("cperm");
        long guildId = fx.guild(owner);
        long general = fx.channels(guildId, owner).get("general");
        Account plain = fx.member(guildId, "cplain");
        Account stranger = api.register("cstranger");
        server.events().clear();

        assertError(api.post("/guilds/" + guildId + "/channels", plain.token(), Map.of("name", "nope")), 403, 50013);
        assertError(api.patch("/channels/" + general, plain.token(), Map.of("name", "nope")), 403, 50013);
        assertError(api.delete("/channels/" + general, plain.token()), 403, 50013);
        assertError(api.patch("/guilds/" + guildId + "/channels", plain.token(), List.of(Map.of("id", s(general), "position", 3))), 403, 50013);
        assertError(api.put("/channels/" + general + "/permissions/" + guildId, plain.token(), Map.of("type", 0)), 403, 50013);

        assertError(api.get("/guilds/" + guildId + "/channels", stranger.token()), 403, 50001);
        assertError(api.post("/guilds/" + guildId + "/channels", stranger.token(), Map.of("name", "nope")), 403, 50001);
        assertError(api.get("/channels/" + general, stranger.token()), 403, 50001);
        assertError(api.patch("/channels/" + general, stranger.token(), Map.of("name", "nope")), 403, 50001);
        assertError(api.delete("/channels/" + general, stranger.token()), 403, 50001);

        assertError(api.get("/channels/123456", owner.token()), 404, 10003);
        assertError(api.patch("/channels/123456", owner.token(), Map.of("name", "x")), 404, 10003);
        assertError(api.delete("/channels/123456", owner.token()), 404, 10003);
        assertError(api.get("/guilds/123456/channels", owner.token()), 404, 10004);
        assertError(api.post("/guilds/123456/channels", owner.token(), Map.of("name", "x")), 404, 10004);

        var fluxer = api.version("v1");
        assertFluxerError(fluxer.get("/channels/123456", owner.token()), 404, "UNKNOWN_CHANNEL");
        assertFluxerError(fluxer.delete("/channels/" + general, plain.token()), 403, "MISSING_PERMISSIONS");
        assertFluxerError(fluxer.get("/channels/" + general, stranger.token()), 403, "MISSING_ACCESS");

        assertThat(api.get("/channels/" + general, owner.token()).json().get("name").asText()).isEqualTo("general");
        assertThat(fx.events(DispatchType.CHANNEL_CREATE)).isEmpty();
        assertThat(fx.events(DispatchType.CHANNEL_UPDATE)).isEmpty();
        assertThat(fx.events(DispatchType.CHANNEL_DELETE)).isEmpty();

        Account manager = fx.memberWith(guildId, owner, "cmanager", Permission.MANAGE_CHANNELS);
        assertThat(api.post("/guilds/" + guildId + "/channels", manager.token(), Map.of("name", "by-manager")).status()).isEqualTo(201);
        assertThat(api.patch("/channels/" + general, manager.token(), Map.of("topic", "hi")).status()).isEqualTo(200);
    }

    @Test
    void listingAndReadingFollowViewChannel() {
        Account owner = api.register("cview");
        long guildId = fx.guild(owner);
        Account member = fx.member(guildId, "cviewer");
        var hidden = api.post("/guilds/" + guildId + "/channels", owner.token(),
                Map.of("name", "secret", "permission_overwrites", List.of(overwrite(guildId, 0, 0, Permission.VIEW_CHANNEL.bit))));
        assertThat(hidden.status()).as(hidden.toString()).isEqualTo(201);
        long secret = hidden.json().get("id").asLong();

        assertThat(names(api.get("/guilds/" + guildId + "/channels", owner.token()))).contains("secret");
        assertThat(names(api.get("/guilds/" + guildId + "/channels", member.token()))).doesNotContain("secret").contains("general");
        assertError(api.get("/channels/" + secret, member.token()), 403, 50001);

        var let = api.put("/channels/" + secret + "/permissions/" + member.id(), owner.token(),
                Map.of("type", 1, "allow", s(Permission.VIEW_CHANNEL.bit)));
        assertThat(let.status()).isEqualTo(204);
        assertThat(names(api.get("/guilds/" + guildId + "/channels", member.token()))).contains("secret");
        assertThat(api.get("/channels/" + secret, member.token()).status()).isEqualTo(200);
    }

    @Test
    void overwritesInBodiesNeedManageRolesAndOnlyTheCallersBits() {
        Account owner = api.register("cow");
        long guildId = fx.guild(owner);
        Account channelsOnly = fx.memberWith(guildId, owner, "cchan", Permission.MANAGE_CHANNELS);
        Account both = fx.memberWith(guildId, owner, "cboth", Permission.MANAGE_CHANNELS, Permission.MANAGE_ROLES,
                Permission.VIEW_CHANNEL, Permission.SEND_MESSAGES);
        Account other = api.register("cowother");
        long otherGuild = fx.guild(other);
        long denySend = Permission.SEND_MESSAGES.bit;

        var noRoles = api.post("/guilds/" + guildId + "/channels", channelsOnly.token(),
                Map.of("name", "a", "permission_overwrites", List.of(overwrite(guildId, 0, 0, denySend))));
        assertError(noRoles, 403, 50013);
        // an empty list changes nothing, so MANAGE_CHANNELS is enough
        assertThat(api.post("/guilds/" + guildId + "/channels", channelsOnly.token(),
                Map.of("name", "b", "permission_overwrites", List.of())).status()).isEqualTo(201);

        var grantsMore = api.post("/guilds/" + guildId + "/channels", both.token(),
                Map.of("name", "c", "permission_overwrites", List.of(overwrite(both.id(), 1, Permission.MANAGE_GUILD.bit, 0))));
        assertError(grantsMore, 403, 50013);
        var fine = api.post("/guilds/" + guildId + "/channels", both.token(),
                Map.of("name", "d", "permission_overwrites", List.of(overwrite(guildId, 0, 0, denySend))));
        assertThat(fine.status()).as(fine.toString()).isEqualTo(201);
        JsonNode ow = fine.json().get("permission_overwrites").get(0);
        assertThat(ow.get("id").asText()).isEqualTo(s(guildId));
        assertThat(ow.get("type").asInt()).isZero();
        assertThat(ow.get("allow").asText()).isEqualTo("0");
        assertThat(ow.get("deny").asText()).isEqualTo(s(denySend));

        var foreignRole = api.post("/guilds/" + guildId + "/channels", owner.token(),
                Map.of("name", "e", "permission_overwrites", List.of(overwrite(guildId, 0, 0, 0), overwrite(otherGuild, 0, 0, denySend),
                        overwrite(other.id(), 1, 0, denySend))));
        assertError(foreignRole, 400, 50035);
        assertThat(fieldError(foreignRole, "/permission_overwrites/1/id")).isEqualTo("UNKNOWN_ROLE");
        assertThat(fieldError(foreignRole, "/permission_overwrites/2/id")).isEqualTo("UNKNOWN_MEMBER");
        assertThat(names(api.get("/guilds/" + guildId + "/channels", owner.token()))).doesNotContain("e", "a", "c");

        // PATCH: the same overwrites sent back need no MANAGE_ROLES, changed ones do
        long d = fine.json().get("id").asLong();
        var same = api.patch("/channels/" + d, channelsOnly.token(),
                Map.of("topic", "t", "permission_overwrites", List.of(overwrite(guildId, 0, 0, denySend))));
        assertThat(same.status()).as(same.toString()).isEqualTo(200);

        var changed = api.patch("/channels/" + d, channelsOnly.token(), Map.of("permission_overwrites", List.of()));
        assertError(changed, 403, 50013);
        assertThat(api.get("/channels/" + d, owner.token()).json().get("permission_overwrites")).hasSize(1);
        server.events().clear();
        // the @everyone overwrite takes SEND_MESSAGES from "both" in this channel; it has it guild-wide, so may lift it
        var cleared = api.patch("/channels/" + d, both.token(), Map.of("permission_overwrites", List.of()));
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().get("permission_overwrites")).isEmpty();
        assertThat(data(fx.events(DispatchType.CHANNEL_UPDATE).getFirst()).get("permission_overwrites")).isEmpty();
    }

    @Test
    void aChannelInACategoryStartsSyncedWithIt() {
        Account owner = api.register("csync");
        long guildId = fx.guild(owner);
        long category = fx.channels(guildId, owner).get("Text Channels");
        assertThat(api.put("/channels/" + category + "/permissions/" + guildId, owner.token(),
                Map.of("type", 0, "deny", s(Permission.SEND_MESSAGES.bit))).status()).isEqualTo(204);
        var child = api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "child", "parent_id", s(category)));
        JsonNode ows = child.json().get("permission_overwrites");
        assertThat(ows).hasSize(1);
        assertThat(ows.get(0).get("deny").asText()).isEqualTo(s(Permission.SEND_MESSAGES.bit));
        var explicit = api.post("/guilds/" + guildId + "/channels", owner.token(),
                Map.of("name", "own", "parent_id", s(category), "permission_overwrites", List.of()));
        assertThat(explicit.json().get("permission_overwrites")).isEmpty();
    }

    @Test
    void modifyChangesFieldsOfItsTypeAndPublishesChannelUpdate() {
        Account owner = api.register("cmod");
        long guildId = fx.guild(owner);
        Map<String, Long> channels = fx.channels(guildId, owner);
        long general = channels.get("general");
        long voice = channels.get("General");
        server.events().clear();

        Map<String, Object> body = new HashMap<>();
        body.put("name", "Main Hall");
        body.put("topic", "welcome");
        body.put("nsfw", true);
        body.put("rate_limit_per_user", 10);
        body.put("parent_id", null);
        body.put("position", 7);
        var r = api.patch("/channels/" + general, owner.token(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("main-hall");
        assertThat(r.json().get("topic").asText()).isEqualTo("welcome");
        assertThat(r.json().get("nsfw").asBoolean()).isTrue();
        assertThat(r.json().get("rate_limit_per_user").asInt()).isEqualTo(10);
        assertThat(r.json().get("parent_id").isNull()).isTrue();
        assertThat(r.json().get("position").asInt()).isEqualTo(7);
        assertThat(api.get("/channels/" + general, owner.token()).json()).isEqualTo(r.json());
        List<GatewayEvent> updates = fx.events(DispatchType.CHANNEL_UPDATE);
        assertThat(updates).hasSize(1);
        assertThat(updates.getFirst().channelId()).isEqualTo(general);
        assertThat(updates.getFirst().guildId()).isEqualTo(guildId);
        assertThat(data(updates.getFirst())).isEqualTo(r.json());

        var v = api.patch("/channels/" + voice, owner.token(), Map.of("bitrate", 96000, "user_limit", 0));
        assertThat(v.json().get("bitrate").asInt()).isEqualTo(96000);

        server.events().clear();
        var typeChange = api.patch("/channels/" + general, owner.token(), Map.of("type", 2, "name", "other"));
        assertError(typeChange, 400, 50035);
        assertThat(fieldError(typeChange, "/type")).isEqualTo("CHANNEL_TYPE_INVALID");
        var tooFast = api.patch("/channels/" + voice, owner.token(), Map.of("bitrate", 128000));
        assertThat(fieldError(tooFast, "/bitrate")).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(api.get("/channels/" + general, owner.token()).json().get("name").asText()).isEqualTo("main-hall");
        assertThat(fx.events(DispatchType.CHANNEL_UPDATE)).isEmpty();

        // nothing changed: answered, nothing published
        assertThat(api.patch("/channels/" + general, owner.token(), Map.of("topic", "welcome")).status()).isEqualTo(200);
        assertThat(fx.events(DispatchType.CHANNEL_UPDATE)).isEmpty();
    }

    @Test
    void deletingAChannelAnswersItAndCleansUpAfterIt() {
        Account owner = api.register("cdel");
        long guildId = fx.guild(owner);
        Map<String, Long> channels = fx.channels(guildId, owner);
        long general = channels.get("general");
        long textCategory = channels.get("Text Channels");
        JsonNode generalView = api.get("/channels/" + general, owner.token()).json();
        assertThat(api.get("/guilds/" + guildId, owner.token()).json().get("system_channel_id").asText()).isEqualTo(s(general));
        server.events().clear();

        var r = api.delete("/channels/" + general, owner.token());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(generalView);
        assertError(api.get("/channels/" + general, owner.token()), 404, 10003);
        assertThat(api.get("/guilds/" + guildId, owner.token()).json().get("system_channel_id").isNull()).isTrue();
        List<GatewayEvent> deletes = fx.events(DispatchType.CHANNEL_DELETE);
        assertThat(deletes).hasSize(1);
        assertThat(deletes.getFirst().channelId()).isEqualTo(general);
        assertThat(data(deletes.getFirst())).isEqualTo(generalView);
        List<GatewayEvent> guildUpdates = fx.events(DispatchType.GUILD_UPDATE);
        assertThat(guildUpdates).hasSize(1);
        assertThat(data(guildUpdates.getFirst()).get("system_channel_id").isNull()).isTrue();

        long child = api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "kid", "parent_id", s(textCategory)))
                .json().get("id").asLong();
        server.events().clear();
        assertThat(api.delete("/channels/" + textCategory, owner.token()).status()).isEqualTo(200);
        assertThat(api.get("/channels/" + child, owner.token()).json().get("parent_id").isNull()).isTrue();
        List<GatewayEvent> updates = fx.events(DispatchType.CHANNEL_UPDATE);
        assertThat(updates).hasSize(1);
        assertThat(updates.getFirst().channelId()).isEqualTo(child);
        assertThat(data(updates.getFirst()).get("parent_id").isNull()).isTrue();
        assertThat(fx.events(DispatchType.GUILD_UPDATE)).isEmpty();
    }

    @Test
    void reorderMovesChannelsAndCanSyncThemWithTheirNewCategory() {
        Account owner = api.register("cpos");
        long guildId = fx.guild(owner);
        Map<String, Long> channels = fx.channels(guildId, owner);
        long general = channels.get("general");
        long voice = channels.get("General");
        long voiceCategory = channels.get("Voice Channels");
        assertThat(api.put("/channels/" + voiceCategory + "/permissions/" + guildId, owner.token(),
                Map.of("type", 0, "deny", s(Permission.SPEAK.bit))).status()).isEqualTo(204);
        Account mover = fx.memberWith(guildId, owner, "cmover", Permission.MANAGE_CHANNELS);
        server.events().clear();

        var r = api.patch("/guilds/" + guildId + "/channels", mover.token(),
                List.of(Map.of("id", s(general), "position", 4), Map.of("id", s(voice), "position", 0)));
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
        assertThat(api.get("/channels/" + general, owner.token()).json().get("position").asInt()).isEqualTo(4);
        List<GatewayEvent> updates = fx.events(DispatchType.CHANNEL_UPDATE);
        assertThat(updates).as("only the channel that changed").hasSize(1);
        assertThat(updates.getFirst().channelId()).isEqualTo(general);

        var lockWithoutRoles = api.patch("/guilds/" + guildId + "/channels", mover.token(),
                List.of(Map.of("id", s(general), "parent_id", s(voiceCategory), "lock_permissions", true)));
        assertError(lockWithoutRoles, 403, 50013);
        assertThat(api.get("/channels/" + general, owner.token()).json().get("parent_id").asText()).isEqualTo(s(channels.get("Text Channels")));

        server.events().clear();
        var locked = api.patch("/guilds/" + guildId + "/channels", owner.token(),
                List.of(Map.of("id", s(general), "parent_id", s(voiceCategory), "lock_permissions", true)));
        assertThat(locked.status()).isEqualTo(204);
        JsonNode moved = api.get("/channels/" + general, owner.token()).json();
        assertThat(moved.get("parent_id").asText()).isEqualTo(s(voiceCategory));
        assertThat(moved.get("permission_overwrites")).hasSize(1);
        assertThat(moved.get("permission_overwrites").get(0).get("deny").asText()).isEqualTo(s(Permission.SPEAK.bit));
        assertThat(data(fx.events(DispatchType.CHANNEL_UPDATE).getFirst())).isEqualTo(moved);

        Account other = api.register("cposother");
        long foreign = fx.channels(fx.guild(other), other).get("general");
        server.events().clear();
        var bad = api.patch("/guilds/" + guildId + "/channels", owner.token(),
                List.of(Map.of("id", s(general), "position", 1), Map.of("id", s(foreign), "position", 2),
                        Map.of("id", s(general), "position", 3), Map.of("position", "x")));
        assertError(bad, 400, 50035);
        assertThat(fieldError(bad, "/1/id")).isEqualTo("CHANNEL_UNKNOWN");
        assertThat(fieldError(bad, "/2/id")).isEqualTo("CHANNEL_DUPLICATE");
        assertThat(fieldError(bad, "/3/id")).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(fieldError(bad, "/3/position")).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(api.get("/channels/" + general, owner.token()).json()).isEqualTo(moved);
        assertThat(fx.events(DispatchType.CHANNEL_UPDATE)).isEmpty();

        var notAList = api.patch("/guilds/" + guildId + "/channels", owner.token(), Map.of("id", s(general)));
        assertError(notAList, 400, 50035);
        assertThat(fieldError(notAList, "")).isEqualTo("LIST_TYPE_CONVERT");
    }

    @Test
    void overwritesArePutAndDeletedWithChannelUpdates() {
        Account owner = api.register("cput");
        long guildId = fx.guild(owner);
        long general = fx.channels(guildId, owner).get("general");
        Account member = fx.member(guildId, "cputmember");
        Account roleManager = fx.memberWith(guildId, owner, "cputmgr", Permission.MANAGE_ROLES, Permission.VIEW_CHANNEL,
                Permission.SEND_MESSAGES);
        Account other = api.register("cputother");
        long otherGuild = fx.guild(other);
        long role = fx.role(guildId, owner, "helpers");
        server.events().clear();

        long allow = Permission.of(Permission.MANAGE_MESSAGES);
        long deny = Permission.SEND_MESSAGES.bit;
        var put = api.put("/channels/" + general + "/permissions/" + role, owner.token(), Map.of("type", 0, "allow", s(allow), "deny", s(deny)));
        assertThat(put.status()).as(put.toString()).isEqualTo(204);
        List<GatewayEvent> updates = fx.events(DispatchType.CHANNEL_UPDATE);
        assertThat(updates).hasSize(1);
        assertThat(updates.getFirst().channelId()).isEqualTo(general);
        JsonNode ows = data(updates.getFirst()).get("permission_overwrites");
        assertThat(ows).hasSize(1);
        assertThat(ows.get(0).get("id").asText()).isEqualTo(s(role));
        assertThat(ows.get(0).get("allow").asText()).isEqualTo(s(allow));
        assertThat(ows.get(0).get("deny").asText()).isEqualTo(s(deny));
        // PUT again replaces
        api.put("/channels/" + general + "/permissions/" + role, owner.token(), Map.of("type", 0, "deny", s(Permission.MANAGE_MESSAGES.bit)));
        JsonNode replaced = api.get("/channels/" + general, owner.token()).json().get("permission_overwrites");
        assertThat(replaced).hasSize(1);
        assertThat(replaced.get(0).get("allow").asText()).isEqualTo("0");

        server.events().clear();
        assertError(api.put("/channels/" + general + "/permissions/" + otherGuild, owner.token(), Map.of("type", 0)), 404, 10011);
        assertError(api.put("/channels/" + general + "/permissions/" + other.id(), owner.token(), Map.of("type", 1)), 404, 10007);
        assertError(api.put("/channels/" + general + "/permissions/" + role, owner.token(), Map.of("type", 1)), 404, 10007);
        var noType = api.put("/channels/" + general + "/permissions/" + member.id(), owner.token(), Map.of("allow", "1"));
        assertError(noType, 400, 50035);
        assertThat(fieldError(noType, "/type")).isEqualTo("BASE_TYPE_REQUIRED");
        assertError(api.put("/channels/" + general + "/permissions/" + member.id(), member.token(), Map.of("type", 1)), 403, 50013);
        assertError(api.put("/channels/" + general + "/permissions/" + member.id(), roleManager.token(),
                Map.of("type", 1, "allow", s(Permission.MANAGE_GUILD.bit))), 403, 50013);
        assertError(api.put("/channels/123/permissions/" + member.id(), owner.token(), Map.of("type", 1)), 404, 10003);
        assertError(api.put("/channels/" + general + "/permissions/" + member.id(), other.token(), Map.of("type", 1)), 403, 50001);
        assertFluxerError(api.version("v1").put("/channels/" + general + "/permissions/" + otherGuild, owner.token(), Map.of("type", 0)),
                404, "UNKNOWN_ROLE");
        assertThat(api.get("/channels/" + general, owner.token()).json().get("permission_overwrites")).isEqualTo(replaced);
        assertThat(fx.events(DispatchType.CHANNEL_UPDATE)).isEmpty();

        var own = api.put("/channels/" + general + "/permissions/" + member.id(), roleManager.token(),
                Map.of("type", 1, "deny", s(Permission.SEND_MESSAGES.bit)));
        assertThat(own.status()).isEqualTo(204);
        // removing an overwrite changes its bits too: MANAGE_MESSAGES is not the manager's to change
        assertError(api.delete("/channels/" + general + "/permissions/" + role, roleManager.token()), 403, 50013);

        server.events().clear();
        assertThat(api.delete("/channels/" + general + "/permissions/" + role, owner.token()).status()).isEqualTo(204);
        List<GatewayEvent> afterDelete = fx.events(DispatchType.CHANNEL_UPDATE);
        assertThat(afterDelete).hasSize(1);
        assertThat(data(afterDelete.getFirst()).get("permission_overwrites")).hasSize(1);
        server.events().clear();
        assertThat(api.delete("/channels/" + general + "/permissions/" + role, owner.token()).status()).as("already gone").isEqualTo(204);
        assertThat(fx.events(DispatchType.CHANNEL_UPDATE)).isEmpty();
    }

    @Test
    void dmChannelsAreReadByTheirRecipientsOnly() {
        Account a = api.register("dma");
        Account b = api.register("dmb");
        Account c = api.register("dmc");
        long id = server.server().platform().context().ids().next();
        fx.store().write(tx -> {
            tx.channels().insert(new Channel(id, ChannelType.DM, null, null, null, 0, null, false, 0, 0, 0, null, List.of(),
                    List.of(a.id(), b.id())));
            return null;
        });
        var r = api.get("/channels/" + id, a.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("type").asInt()).isEqualTo(1);
        assertThat(r.json().get("recipients")).hasSize(1);
        assertThat(r.json().get("recipients").get(0).get("id").asText()).isEqualTo(s(b.id()));
        assertThat(r.json().get("recipients").get(0).get("username").asText()).isEqualTo(b.username());
        assertThat(r.json().has("guild_id")).isFalse();
        assertThat(api.get("/channels/" + id, b.token()).json().get("recipients").get(0).get("id").asText()).isEqualTo(s(a.id()));
        assertError(api.get("/channels/" + id, c.token()), 403, 50001);
        assertError(api.patch("/channels/" + id, a.token(), Map.of("name", "x")), 403, 50003);
        assertError(api.delete("/channels/" + id, a.token()), 403, 50003);
        assertError(api.put("/channels/" + id + "/permissions/" + b.id(), a.token(), Map.of("type", 1)), 403, 50003);
    }

    @Test
    void channelLimitsOfGuildAndCategory() {
        Account owner = api.register("climit");
        long guildId = fx.guild(owner);
        long category = fx.channels(guildId, owner).get("Text Channels");
        var ids = server.server().platform().context().ids();
        // the guild has 4 channels, "general" in the category: fill the category to 50, the guild to 500
        fx.store().write(tx -> {
            for (int i = 0; i < 496; i++) {
                Long parent = i < 49 ? category : null;
                tx.channels().insert(new Channel(ids.next(), ChannelType.GUILD_TEXT, guildId, "filler-" + i, null, i, parent,
                        false, 0, 0, 0, null, List.of(), List.of()));
            }
            return null;
        });
        var full = api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "one-more"));
        assertError(full, 400, 30013);
        assertFluxerError(api.version("v1").post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "one-more")),
                400, "MAX_CHANNELS");
        long filler = fx.channels(guildId, owner).get("filler-100");
        assertThat(api.delete("/channels/" + filler, owner.token()).status()).isEqualTo(200);
        var categoryFull = api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "one-more", "parent_id", s(category)));
        assertError(categoryFull, 400, 50035);
        assertThat(fieldError(categoryFull, "/parent_id")).isEqualTo("CHANNEL_PARENT_MAX_CHANNELS");
        assertThat(api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "one-more")).status()).isEqualTo(201);
    }
}
