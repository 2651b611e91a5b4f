package dev.gatehouse.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Store;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Guilds, members, permission changes and DMs for the message, reaction and typing tests. */
final class MessagingFixture {

    final TestServer server;
    final ApiClient api;

    MessagingFixture(TestServer server) {
        this.server = server;
        this.api = server.api();
    }

    /** A fresh guild: its owner, a second member, and the ids of its default channels. */
    record Guild(long id, Account owner, Account member, long general, long voice, long category) {}

    Guild guild() {
        Account owner = api.register("owner");
        Account member = api.register("member");
        JsonNode g = api.createGuild(owner, "Messages");
        long guildId = g.get("id").asLong();
        long general = g.get("system_channel_id").asLong();
        join(guildId, member);
        List<Channel> channels = store().read(tx -> tx.channels().listByGuild(guildId));
        long voice = channels.stream().filter(c -> c.type() == ChannelType.GUILD_VOICE).findFirst().orElseThrow().id();
        long category = channels.stream().filter(c -> c.type() == ChannelType.GUILD_CATEGORY).findFirst().orElseThrow().id();
        return new Guild(guildId, owner, member, general, voice, category);
    }

    void join(long guildId, Account account) {
        server.server().platform().members().join(guildId, account.id(), Set.of());
    }

    Store store() {
        return server.server().platform().context().store();
    }

    /** Replaces the {@code @everyone} permissions of the guild. */
    void everyonePermissions(long guildId, long permissions) {
        store().write(tx -> {
            Role everyone = tx.roles().find(guildId, guildId).orElseThrow();
            tx.roles().update(new Role(everyone.id(), guildId, everyone.name(), everyone.color(), everyone.hoist(),
                    everyone.position(), permissions, everyone.managed(), everyone.mentionable()));
            return null;
        });
    }

    /** {@code @everyone} without the given permissions. */
    void revokeFromEveryone(long guildId, Permission... revoked) {
        everyonePermissions(guildId, Permission.DEFAULT_EVERYONE & ~Permission.of(revoked));
    }

    /** A member overwrite in the channel denying the permissions to the user. */
    void deny(long channelId, long userId, Permission... denied) {
        store().write(tx -> {
            tx.channels().putOverwrite(channelId, new Overwrite(userId, Overwrite.MEMBER, 0, Permission.of(denied)));
            return null;
        });
    }

    /** A member overwrite in the channel allowing the permissions to the user. */
    void allow(long channelId, long userId, Permission... allowed) {
        store().write(tx -> {
            tx.channels().putOverwrite(channelId, new Overwrite(userId, Overwrite.MEMBER, Permission.of(allowed), 0));
            return null;
        });
    }

    /** A role of the guild, given to nobody; returns its id. */
    long role(long guildId, String name, boolean mentionable) {
        long id = server.server().platform().context().ids().next();
        store().write(tx -> {
            tx.roles().insert(new Role(id, guildId, name, 0, false, 1, 0, false, mentionable));
            return null;
        });
        return id;
    }

    /** A DM channel between the two accounts; returns its id. */
    long dm(Account a, Account b) {
        long id = server.server().platform().context().ids().next();
        store().write(tx -> {
            tx.channels().insert(new Channel(id, ChannelType.DM, null, null, null, 0, null, false, 0, 0, 0, null, List.of(),
                    List.of(a.id(), b.id())));
            return null;
        });
        return id;
    }

    /** Sends a message and returns it; fails the test unless it was sent. */
    JsonNode send(long channelId, Account as, Object body) {
        ApiClient.Response r = api.post("/channels/" + channelId + "/messages", as.token(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    JsonNode send(long channelId, Account as, String content) {
        return send(channelId, as, Map.of("content", content));
    }

    /** The ids of the channel's newest messages, newest first, as the owner of the guild sees them. */
    List<Long> ids(long channelId, Account as, String query) {
        ApiClient.Response r = api.get("/channels/" + channelId + "/messages" + query, as.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return ids(r.json());
    }

    static List<Long> ids(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(m -> m.get("id").asLong()).toList();
    }

    /** The only event of the type published since the last clear. */
    GatewayEvent only(DispatchType type) {
        List<GatewayEvent> events = server.events().of(type);
        assertThat(events).as(type + " events").hasSize(1);
        return events.getFirst();
    }

    /**
     * A users' event (a DM's) published since the last clear: it goes on each recipient's stream
     * of the event log, so one copy per recipient, each addressed to that recipient alone.
     */
    GatewayEvent onlyForEach(DispatchType type, long... userIds) {
        List<GatewayEvent> events = server.events().of(type);
        assertThat(events.stream().map(GatewayEvent::userIds).toList()).as(type + " events, one per recipient")
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(userIds).mapToObj(java.util.Set::of).toList());
        return events.getFirst();
    }

    /** An event's payload as the gateway will serialise it. */
    static JsonNode data(GatewayEvent event) {
        try {
            // through bytes, not valueToTree: embeds and nonce are raw JSON values
            return Json.mapper().readTree(Json.bytes(event.data()));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static void assertError(ApiClient.Response r, int status, int code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("code").asInt()).as(r.toString()).isEqualTo(code);
    }
}
