package dev.gatehouse.compat;

import dev.gatehouse.core.model.Application;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import dev.gatehouse.server.tls.TlsConfig;
import dev.gatehouse.voice.crypto.EncryptionMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A server as a voice library meets it: TLS with a self-signed certificate (under a temporary
 * directory, removed on close), one guild with a voice channel, and bots added to it.
 */
final class VoiceWorld implements AutoCloseable {

    final Path certs;
    final TestServer server;
    final ApiClient api;
    final Account owner;
    final long guildId;
    final long voiceChannelId;

    /** @param modes the encryption modes Ready offers, in the order offered */
    VoiceWorld(List<EncryptionMode> modes) {
        try {
            certs = Files.createTempDirectory("gatehouse-compat-tls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = TestServer.start(c -> c.withTls(TlsConfig.selfSigned(0, certs))
                .withVoice(c.voice().withConfig(c.voice().config().withModes(modes))));
        api = server.api();
        owner = api.register("owner");
        guildId = api.createGuild(owner, "Voice").get("id").asLong();
        voiceChannelId = CompatWorld.ok(api.post("/guilds/" + guildId + "/channels", owner.token(),
                Map.of("name", "Lounge", "type", 2))).get("id").asLong();
    }

    Path certificate() {
        return server.server().tls().certificate();
    }

    Account bot(String name) {
        Account bot = api.createBot(owner, name);
        CompatWorld.ok(api.patch("/applications/" + bot.id(), owner.token(), Map.of("flags", Application.GATEWAY_GUILD_MEMBERS)));
        CompatWorld.ok(api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", owner.token(),
                Map.of("guild_id", Long.toString(guildId), "permissions", "0", "authorize", true)));
        return bot;
    }

    @Override
    public void close() {
        server.close();
        try (var files = Files.walk(certs)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
