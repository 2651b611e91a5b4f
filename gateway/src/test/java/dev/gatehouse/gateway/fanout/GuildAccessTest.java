package dev.gatehouse.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Platform;
import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.auth.PasswordHasher;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.User;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.store.DatabaseConfig;
import dev.gatehouse.store.JdbcStore;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fan-out permission cache against the real services and store: every change the services
 * publish is reflected in the next answer, without the cache being told anything else.
 */
class GuildAccessTest {

    static final long VIEW = 1L << 10;

    JdbcStore store;
    Platform platform;
    GuildAccess access;
    User owner;
    User member;
    long guildId;
    long secret;

    @BeforeEach
    void setUp() {
        store = JdbcStore.open(DatabaseConfig.inMemory("access-" + UUID.randomUUID()));
        LocalEventBus bus = new LocalEventBus(store);
        Clock clock = Clock.systemUTC();
        platform = new Platform(new Platform.Context(store, bus, clock, new Snowflakes(clock, 1, 1), new PasswordHasher(),
                PlatformLimits.defaults()));
        access = new GuildAccess(store);
        bus.subscribe(access::observe);
        owner = register("owner");
        member = register("member");
        guildId = platform.guilds().create(owner.id(), "Guild").id();
        platform.members().join(guildId, member.id(), Set.of());
        secret = id(platform.channels().create(as(owner), guildId, form(Map.of("name", "secret", "type", 0,
                "permission_overwrites", java.util.List.of(Map.of("id", Long.toString(guildId), "type", 0, "allow", "0",
                        "deny", Long.toString(VIEW)))))));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void membersSeeTheGuildButNotAChannelDeniedToEveryone() {
        assertThat(access.canView(guildId, null, member.id())).isTrue();
        assertThat(access.canView(guildId, secret, member.id())).isFalse();
        assertThat(access.canView(guildId, secret, owner.id())).as("the owner sees everything").isTrue();
        assertThat(access.canView(guildId, null, 424242L)).as("a stranger").isFalse();
    }

    @Test
    void aRoleThatAllowsTheChannelShowsItAndItsRemovalHidesItAgain() {
        long role = platform.roles().create(as(owner), guildId, form(Map.of("name", "insiders"))).id();
        platform.channels().putOverwrite(as(owner), secret, role, form(Map.of("type", 0, "allow", Long.toString(VIEW), "deny", "0")));
        assertThat(access.canView(guildId, secret, member.id())).isFalse();
        platform.members().addRole(as(owner), guildId, member.id(), role);
        assertThat(access.canView(guildId, secret, member.id())).isTrue();
        platform.members().removeRole(as(owner), guildId, member.id(), role);
        assertThat(access.canView(guildId, secret, member.id())).isFalse();
        platform.members().addRole(as(owner), guildId, member.id(), role);
        platform.roles().delete(as(owner), guildId, role);
        assertThat(access.canView(guildId, secret, member.id())).as("a deleted role grants nothing").isFalse();
    }

    @Test
    void overwriteChangesApplyAtOnce() {
        platform.channels().putOverwrite(as(owner), secret, member.id(), form(Map.of("type", 1, "allow", Long.toString(VIEW), "deny", "0")));
        assertThat(access.canView(guildId, secret, member.id())).isTrue();
        platform.channels().deleteOverwrite(as(owner), secret, member.id());
        assertThat(access.canView(guildId, secret, member.id())).isFalse();
    }

    @Test
    void leavingAndJoiningChangeMembership() {
        User newcomer = register("newcomer");
        assertThat(access.canView(guildId, null, newcomer.id())).isFalse();
        platform.members().join(guildId, newcomer.id(), Set.of());
        assertThat(access.canView(guildId, null, newcomer.id())).as("no stale 'not a member'").isTrue();
        platform.members().leave(as(newcomer), guildId);
        assertThat(access.canView(guildId, null, newcomer.id())).isFalse();
    }

    @Test
    void deletedGuildsAndChannelsAreSeenByNobody() {
        platform.channels().delete(as(owner), secret);
        assertThat(access.canView(guildId, secret, owner.id())).isFalse();
        platform.guilds().delete(as(owner), guildId);
        assertThat(access.canView(guildId, null, owner.id())).isFalse();
    }

    @Test
    void droppedGuildsAreReloadedOnDemand() {
        access.canView(guildId, null, member.id());
        assertThat(access.cachedGuilds()).containsExactly(guildId);
        access.drop(guildId);
        assertThat(access.cachedGuilds()).isEmpty();
        assertThat(access.canView(guildId, null, member.id())).as("reloaded on demand").isTrue();
    }

    private User register(String name) {
        return platform.auth().register(form(Map.of("username", name + Math.abs(UUID.randomUUID().hashCode() % 100000),
                "password", "password-123"))).user();
    }

    private static Principal as(User u) {
        return new Principal(u);
    }

    private static Form form(Map<String, Object> body) {
        return Form.of(Json.mapper().valueToTree(body));
    }

    private static long id(Object view) {
        JsonNode n = Json.mapper().valueToTree(view);
        return n.get("id").asLong();
    }
}
