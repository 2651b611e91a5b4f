package dev.gatehouse.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.model.Application;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A guild on a running test server, with bots to connect and messages to post: what the SDK's socket tests start from. */
final class SdkGuild {

    /** GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT. */
    static final long INTENTS = (1 << 0) | (1 << 9) | (1 << 15);

    final ApiClient api;
    final Account owner;
    final long guildId;
    final long channelId;

    SdkGuild(TestServer server, String name) {
        this.api = server.api();
        this.owner = api.register("owner");
        this.guildId = api.createGuild(owner, name).get("id").asLong();
        this.channelId = api.firstTextChannel(guildId, owner.token());
    }

    /** A bot in the guild, granted MESSAGE_CONTENT. */
    Account bot(String name) {
        Account bot = api.createBot(owner, name);
        assertThat(api.patch("/applications/" + bot.id(), owner.token(), Map.of("flags", Application.GATEWAY_MESSAGE_CONTENT))
                .status()).isEqualTo(200);
        assertThat(api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", owner.token(),
                Map.of("guild_id", Long.toString(guildId), "permissions", "3072", "authorize", true)).status()).isEqualTo(200);
        return bot;
    }

    /** Posts as the owner; returns the message id. */
    long post(String content) {
        var r = api.post("/channels/" + channelId + "/messages", owner.token(), Map.of("content", content));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(5);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
