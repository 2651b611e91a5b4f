package dev.gatehouse.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.ServerConfig;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A running server with one guild (its owner, a text channel) and helpers to connect gateway
 * clients to it: what every gateway integration test starts from.
 */
final class GatewayWorld implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    /** GUILDS | GUILD_MEMBERS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGES | MESSAGE_CONTENT ... */
    static final long ALL_UNPRIVILEGED = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 9)
            | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13) | (1 << 14);
    static final long GUILD_MEMBERS = 1 << 1;
    static final long GUILD_PRESENCES = 1 << 8;
    static final long MESSAGE_CONTENT = 1 << 15;

    final TestServer server;
    final ApiClient api;
    final Account owner;
    final long guildId;
    final long channelId;

    private GatewayWorld(TestServer server) {
        this.server = server;
        this.api = server.api();
        this.owner = api.register("owner");
        this.guildId = api.createGuild(owner, "World").get("id").asLong();
        this.channelId = api.firstTextChannel(guildId, owner.token());
    }

    static GatewayWorld start() {
        return start(UnaryOperator.identity());
    }

    static GatewayWorld start(UnaryOperator<ServerConfig> customize) {
        return start(customize, Clock.systemUTC());
    }

    /** A world whose server keeps time by {@code clock}: an OffsetClock lets a test move time forward. */
    static GatewayWorld start(UnaryOperator<ServerConfig> customize, Clock clock) {
        return new GatewayWorld(TestServer.start(c -> customize.apply(c.withRateLimits(false)), clock));
    }

    URI ws() {
        return URI.create(server.baseUrl().replaceFirst("^http", "ws"));
    }

    GatewayTestClient connect(String query) {
        return GatewayTestClient.connect(ws(), query);
    }

    /** A fresh user who joined the world's guild through an invite. */
    Account member(String name) {
        Account a = api.register(name);
        join(a, guildId);
        return a;
    }

    void join(Account who, long guild) {
        long channel = guild == guildId ? channelId : firstTextChannel(guild);
        String code = api.post("/channels/" + channel + "/invites", ownerOf(guild).token(), Map.of()).json().get("code").asText();
        assertThat(api.post("/invites/" + code, who.token(), null).status()).isEqualTo(200);
    }

    private Account ownerOf(long guild) {
        return owner;
    }

    long firstTextChannel(long guild) {
        return api.firstTextChannel(guild, owner.token());
    }

    /** A bot of the owner's, added to the world's guild, with the application flags given. */
    Account bot(String name, int applicationFlags) {
        Account bot = api.createBot(owner, name);
        var added = api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", owner.token(),
                Map.of("guild_id", Long.toString(guildId), "permissions", "0", "authorize", true));
        assertThat(added.status()).as("authorize %s", added).isIn(200, 201, 204);
        if (applicationFlags != 0) {
            var patched = api.patch("/applications/" + bot.id(), owner.token(), Map.of("flags", applicationFlags));
            assertThat(patched.status()).as("flags %s", patched).isEqualTo(200);
        }
        return bot;
    }

    /** Connects, identifies and waits for READY; returns the client positioned after READY. */
    GatewayTestClient identified(Account who, String query, long intents) {
        GatewayTestClient c = connect(query);
        JsonNode hello = c.next(WAIT);
        assertThat(hello.get("op").intValue()).isEqualTo(10);
        c.identify(who.token(), intents);
        JsonNode ready = c.nextDispatch("READY", WAIT);
        assertThat(ready.get("s").longValue()).isEqualTo(1);
        return c;
    }

    JsonNode post(Account who, long channel, String content) {
        var r = api.post("/channels/" + channel + "/messages", who.token(), Map.of("content", content));
        assertThat(r.status()).as("post %s", r).isEqualTo(200);
        return r.json();
    }

    @Override
    public void close() {
        server.close();
    }
}
