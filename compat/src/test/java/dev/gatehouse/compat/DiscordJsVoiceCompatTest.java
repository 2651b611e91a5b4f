package dev.gatehouse.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.voice.crypto.EncryptionMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Voice with an unmodified @discordjs/voice 0.19 (discord.js 14 for the main gateway): two bots join
 * a voice channel through op 4, connect to the voice gateway over wss with the server's self-signed
 * certificate, discover their address, and one plays Opus frames that the other's VoiceReceiver
 * gets, through the relay's re-encryption. Then a moderator's disconnect ends a voice connection with 4014.
 */
class DiscordJsVoiceCompatTest {

    /** The three bytes of an Opus silence frame, which the player appends when a resource ends. */
    static final String SILENCE = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xF8, (byte) 0xFF, (byte) 0xFE});

    static VoiceWorld world;

    @BeforeAll
    static void start() {
        // XChaCha20 offered first: @discordjs/voice takes the server's first mode it can do (with
        // @noble/ciphers installed, both), so this suite covers XChaCha20 and JDA's covers AES-GCM
        world = new VoiceWorld(List.of(EncryptionMode.AEAD_XCHACHA20_POLY1305_RTPSIZE, EncryptionMode.AEAD_AES256_GCM_RTPSIZE));
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    static NodeBot start(Account bot) {
        return new NodeBot("discordjs-voice-bot.js", world.server.baseUrl() + "/api", bot,
                Map.of("NODE_EXTRA_CA_CERTS", world.certificate().toAbsolutePath().toString()));
    }

    @Test
    void oneBotHearsExactlyTheFramesTheOtherPlaysAndADisconnectEndsItsConnectionWith4014() throws Exception {
        Account speakerAccount = world.bot("speaker");
        Account listenerAccount = world.bot("listener");
        try (NodeBot speaker = start(speakerAccount); NodeBot listener = start(listenerAccount)) {
            Map<String, Object> join = Map.of("guild", Long.toString(world.guildId), "channel", Long.toString(world.voiceChannelId));
            assertThat(speaker.command("join", join).get("mode").asText()).isEqualTo("aead_xchacha20_poly1305_rtpsize");
            assertThat(listener.command("join", join).get("mode").asText()).isEqualTo("aead_xchacha20_poly1305_rtpsize");
            listener.command("listen", Map.of("guild", Long.toString(world.guildId), "user", Long.toString(speakerAccount.id())));

            List<String> frames = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                frames.add(Base64.getEncoder().encodeToString(("opus frame " + i).getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(speaker.command("play", Map.of("guild", Long.toString(world.guildId), "frames", frames)).asInt()).isEqualTo(50);

            List<String> heard = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (heard.size() < frames.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                heard.clear();
                for (JsonNode f : listener.command("heard", Map.of("user", Long.toString(speakerAccount.id())))) {
                    if (!f.asText().equals(SILENCE)) {
                        heard.add(f.asText());
                    }
                }
            }
            assertThat(heard).as("the frames the speaker played, each once, in order").containsExactlyElementsOf(frames);

            // a moderator disconnects the listener from voice: 4014, which the library takes as final
            Map<String, Object> disconnect = new java.util.HashMap<>();
            disconnect.put("channel_id", null);
            CompatWorld.ok(world.api.patch("/guilds/" + world.guildId + "/members/" + listenerAccount.id(), world.owner.token(), disconnect));
            assertThat(listener.events().await(e -> e.kind() == BotEvent.Kind.VOICE_DISCONNECTED, CompatWorld.WAIT,
                    "voice disconnect").id()).isEqualTo(4014);
        }
    }
}
