package dev.gatehouse.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.rest.RestClient;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TcpProxy;
import dev.gatehouse.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server as a bot library meets it: one guild with an owner, a second person, a role, two text
 * channels and two bots (one granted MESSAGE_CONTENT, one not), rate limits and identify limits on.
 * The gateway's public URL points at a {@link TcpProxy} in front of the server, so a test can hold
 * a disconnected library's new connection (accepted, but silent) until it has posted the messages
 * that make up the gap. Holding rather than refusing keeps every library on its resume path: some
 * (discord.js) give a session up when a reconnect attempt fails outright.
 */
final class CompatWorld implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** Permissions the bots are invited with: view, send, read history, manage messages. */
    static final long BOT_PERMISSIONS = (1L << 10) | (1L << 11) | (1L << 16) | (1L << 13);

    final TestServer server;
    final ApiClient api;
    private final TcpProxy gatewayDoor;
    private final Map<Long, RestClient> rest = new ConcurrentHashMap<>();
    final Account owner;
    final Account alice;
    final long guildId;
    final long generalId;
    final long secondChannelId;
    final long roleId;
    /** Granted GUILD_MEMBERS and MESSAGE_CONTENT. */
    final Account contentBot;
    /** Granted GUILD_MEMBERS only. */
    final Account plainBot;

    private CompatWorld(TcpProxy door, TestServer server) {
        this.gatewayDoor = door;
        this.server = server;
        this.api = server.api();
        this.owner = api.register("owner");
        this.alice = api.register("alice");
        this.guildId = api.createGuild(owner, "Compat").get("id").asLong();
        this.generalId = api.firstTextChannel(guildId, owner.token());
        this.secondChannelId = ok(api.post("/guilds/" + guildId + "/channels", owner.token(), Map.of("name", "second", "type", 0)))
                .get("id").asLong();
        this.roleId = ok(api.post("/guilds/" + guildId + "/roles", owner.token(), Map.of("name", "Moderators"))).get("id").asLong();
        join(alice);
        ok(api.put("/guilds/" + guildId + "/members/" + alice.id() + "/roles/" + roleId, owner.token(), null));
        this.contentBot = bot("contentbot", Application.GATEWAY_GUILD_MEMBERS | Application.GATEWAY_MESSAGE_CONTENT);
        this.plainBot = bot("plainbot", Application.GATEWAY_GUILD_MEMBERS);
    }

    static CompatWorld start() {
        AtomicReference<TestServer> started = new AtomicReference<>();
        TcpProxy door = new TcpProxy(() -> new InetSocketAddress("127.0.0.1", started.get().server().port()));
        try {
            door.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // rate limits and identify limits stay on: libraries must live with them
        started.set(TestServer.start(c -> c.withPublicUrl("http://127.0.0.1:" + door.port())));
        return new CompatWorld(door, started.get());
    }

    /** The REST base a library is configured with (no trailing slash, version included). */
    String restBase() {
        return server.baseUrl() + "/api/v10";
    }

    /** What {@code GET /gateway/bot} and READY's {@code resume_gateway_url} announce. */
    String gatewayUrl() {
        return "ws://127.0.0.1:" + gatewayDoor.port() + "/gateway";
    }

    Account bot(String name, int applicationFlags) {
        Account bot = api.createBot(owner, name);
        ok(api.patch("/applications/" + bot.id(), owner.token(), Map.of("flags", applicationFlags)));
        ok(api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot&permissions=" + BOT_PERMISSIONS, owner.token(),
                Map.of("guild_id", Long.toString(guildId), "permissions", Long.toString(BOT_PERMISSIONS), "authorize", true)));
        return bot;
    }

    /** The bot's raw token, as a library is given it (without the "Bot " scheme). */
    static String rawToken(Account bot) {
        return bot.token().substring("Bot ".length());
    }

    private void join(Account who) {
        String code = ok(api.post("/channels/" + generalId + "/invites", owner.token(), Map.of())).get("code").asText();
        ok(api.post("/invites/" + code, who.token(), null));
    }


    /** Posts as a person through the SDK's REST client, which keeps to the rate limits; returns the message id. */
    long post(Account who, long channel, String content) {
        RestClient client = rest.computeIfAbsent(who.id(), id -> RestClient.create(URI.create(restBase()), who.token()));
        RestClient.Response r = client.request("POST", "/channels/" + channel + "/messages", Map.of("content", content)).join();
        assertThat(r.status()).as("post: %s", r.body()).isEqualTo(200);
        return r.body().get("id").asLong();
    }

    void edit(Account who, long channel, long message, String content) {
        ok(api.patch("/channels/" + channel + "/messages/" + message, who.token(), Map.of("content", content)));
    }

    /** How the server ends a library's connection in {@link #gap}. */
    enum Drop {
        /** The socket closes without a close frame, as when a network path fails. */
        ABRUPT_TCP,
        /** Close frame 4000 (unknown error): resumable. */
        CLOSE_4000,
        /** Op 7 Reconnect, then 4000. */
        OP_7
    }

    /**
     * Drops the user's gateway connection and, while its reconnection is held, posts {@code count}
     * messages as alice; then lets it through. Returns the ids posted, in order.
     */
    List<Long> gap(Account user, Drop how, int count, String prefix) {
        var gateway = server.server().gateway();
        gatewayDoor.hold();
        try {
            int dropped = switch (how) {
                case ABRUPT_TCP -> gateway.abort(user.id()).join();
                case CLOSE_4000 -> gateway.close(user.id(), CloseCode.UNKNOWN_ERROR, "Dropped by the test").join();
                case OP_7 -> gateway.reconnect(user.id(), "Reconnect requested by the test").join();
            };
            assertThat(dropped).as("connections of %s dropped", user.username()).isEqualTo(1);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(post(alice, generalId, prefix + " " + i));
            }
            return ids;
        } finally {
            gatewayDoor.release();
        }
    }

    static JsonNode ok(ApiClient.Response r) {
        assertThat(r.status()).as("%s", r).isBetween(200, 299);
        return r.text().isEmpty() ? null : r.json();
    }

    @Override
    public void close() {
        gatewayDoor.close();
        server.close();
    }
}
