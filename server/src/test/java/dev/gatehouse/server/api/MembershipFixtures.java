package dev.gatehouse.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Platform;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Message;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.TestServer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Setup the membership tests need where another area's routes (roles, channels, messages) may
 * not exist yet: straight store writes through the server's platform.
 */
final class MembershipFixtures {

    private final TestServer server;

    MembershipFixtures(TestServer server) {
        this.server = server;
    }

    Platform platform() {
        return server.server().platform();
    }

    long newId() {
        return platform().context().ids().next();
    }

    /** A role of the guild at the position, with the permissions. */
    long role(long guildId, String name, int position, long permissions) {
        return role(guildId, name, position, permissions, false);
    }

    long role(long guildId, String name, int position, long permissions, boolean managed) {
        long id = newId();
        platform().context().store().write(tx -> {
            tx.roles().insert(new Role(id, guildId, name, 0, false, position, permissions, managed, false));
            return null;
        });
        return id;
    }

    /** Replaces the permissions of the guild's {@code @everyone} role. */
    void everyone(long guildId, long permissions) {
        platform().context().store().write(tx -> {
            Role r = tx.roles().find(guildId, guildId).orElseThrow();
            tx.roles().update(new Role(r.id(), r.guildId(), r.name(), r.color(), r.hoist(), r.position(), permissions, r.managed(), r.mentionable()));
            return null;
        });
    }

    void join(long guildId, long userId, Long... roles) {
        platform().members().join(guildId, userId, Set.of(roles));
    }

    Optional<Member> member(long guildId, long userId) {
        return platform().context().store().read(tx -> tx.members().find(guildId, userId));
    }

    List<Channel> channels(long guildId) {
        return platform().context().store().read(tx -> tx.channels().listByGuild(guildId));
    }

    /** The default "general" text channel of a new guild. */
    long general(long guildId) {
        return channels(guildId).stream().filter(c -> c.type() == ChannelType.GUILD_TEXT).findFirst().orElseThrow().id();
    }

    long category(long guildId) {
        return channels(guildId).stream().filter(c -> c.type() == ChannelType.GUILD_CATEGORY).findFirst().orElseThrow().id();
    }

    long textChannel(long guildId, String name) {
        long id = newId();
        platform().context().store().write(tx -> {
            tx.channels().insert(new Channel(id, ChannelType.GUILD_TEXT, guildId, name, null, 5, null, false, 0, 0, 0, null,
                    List.of(), List.of()));
            return null;
        });
        return id;
    }

    void overwrite(long channelId, long targetId, int type, long allow, long deny) {
        platform().context().store().write(tx -> {
            tx.channels().putOverwrite(channelId, new Overwrite(targetId, type, allow, deny));
            return null;
        });
    }

    /** A plain message by the author, with the given id (ids carry their creation time). */
    void message(long id, long channelId, long guildId, long authorId) {
        platform().context().store().write(tx -> {
            tx.messages().insert(new Message(id, channelId, guildId, authorId, "hello", null, Message.TYPE_DEFAULT, null, false,
                    false, List.of(), List.of(), "[]", null, null, null, false, 0));
            return null;
        });
    }

    boolean messageExists(long channelId, long id) {
        return platform().context().store().read(tx -> tx.messages().find(channelId, id)).isPresent();
    }

    /** A guild owned by the account; returns its id. */
    static long guild(ApiClient api, ApiClient.Account owner) {
        return api.createGuild(owner, "Guild of " + owner.username()).get("id").asLong();
    }

    static JsonNode data(GatewayEvent e) {
        return Json.mapper().valueToTree(e.data());
    }

    /** The only event of the type, asserted to be exactly one. */
    static GatewayEvent single(TestServer server, DispatchType type) {
        List<GatewayEvent> events = server.events().of(type);
        assertThat(events).as(type + " events").hasSize(1);
        return events.getFirst();
    }

    static void assertError(ApiClient.Response r, int status, int code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("code").asInt()).as(r.toString()).isEqualTo(code);
    }

    static long bits(Permission... permissions) {
        return Permission.of(permissions);
    }
}
