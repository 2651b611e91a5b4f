package dev.gatehouse.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.neovisionaries.ws.client.WebSocketFactory;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestTls;
import dev.gatehouse.voice.crypto.EncryptionMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.audio.AudioReceiveHandler;
import net.dv8tion.jda.api.audio.AudioSendHandler;
import net.dv8tion.jda.api.audio.OpusPacket;
import net.dv8tion.jda.api.audio.hooks.ConnectionStatus;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.utils.cache.CacheFlag;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import net.dv8tion.jda.api.requests.RestConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Voice with unmodified JDA 6.5 audio: two bots open audio connections to a voice channel (the
 * voice gateway over wss, trusted through JDA's WebSocket factory), one sends Opus frames through
 * an {@link AudioSendHandler}, the other receives them, still encoded, through an
 * {@link AudioReceiveHandler}: every frame once, in order.
 */
class JdaVoiceCompatTest {

    static final byte[] SILENCE = {(byte) 0xF8, (byte) 0xFF, (byte) 0xFE};

    static VoiceWorld world;

    @BeforeAll
    static void start() {
        world = new VoiceWorld(List.of(EncryptionMode.values()));
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    static JDA login(Account bot) throws Exception {
        String gateway = "ws://127.0.0.1:" + world.server.server().port() + "/gateway";
        JDA jda = JDABuilder.create(CompatWorld.rawToken(bot), EnumSet.of(GatewayIntent.GUILD_VOICE_STATES))
                .setRestConfig(new RestConfig().setBaseUrl(world.server.baseUrl() + "/api/v10/"))
                .setSessionController(new ConcurrentSessionController() {
                    @Override
                    public String getGateway() {
                        return gateway;
                    }
                })
                .setWebsocketFactory(new WebSocketFactory().setSSLContext(TestTls.trusting(world.certificate())))
                .disableCache(CacheFlag.ACTIVITY, CacheFlag.CLIENT_STATUS, CacheFlag.ONLINE_STATUS, CacheFlag.EMOJI,
                        CacheFlag.STICKER, CacheFlag.SCHEDULED_EVENTS, CacheFlag.SOUNDBOARD_SOUNDS)
                .build();
        jda.awaitReady();
        return jda;
    }

    /** Sends the frames once the test opens the gate; nothing before (the listener may not be there yet). */
    static final class Frames implements AudioSendHandler {
        final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
        volatile boolean open;

        @Override
        public boolean canProvide() {
            return open && !queue.isEmpty();
        }

        @Override
        public ByteBuffer provide20MsAudio() {
            return ByteBuffer.wrap(queue.poll());
        }

        @Override
        public boolean isOpus() {
            return true;
        }
    }

    static void awaitConnected(Guild guild) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (guild.getAudioManager().getConnectionStatus() != ConnectionStatus.CONNECTED) {
            assertThat(System.nanoTime()).as("audio connection of %s: %s", guild.getJDA().getSelfUser().getName(),
                    guild.getAudioManager().getConnectionStatus()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void oneBotReceivesExactlyTheOpusFramesTheOtherSends() throws Exception {
        Account speakerAccount = world.bot("jda-speaker");
        Account listenerAccount = world.bot("jda-listener");
        JDA speaker = login(speakerAccount);
        JDA listener = login(listenerAccount);
        try {
            Frames frames = new Frames();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] frame = ("jda frame " + i).getBytes(StandardCharsets.UTF_8);
                sent.add(frame);
                frames.queue.add(frame);
            }
            List<byte[]> heard = new CopyOnWriteArrayList<>();
            Guild speakerGuild = speaker.getGuildById(world.guildId);
            Guild listenerGuild = listener.getGuildById(world.guildId);
            listenerGuild.getAudioManager().setReceivingHandler(new AudioReceiveHandler() {
                @Override
                public boolean canReceiveEncoded() {
                    return true;
                }

                @Override
                public void handleEncodedAudio(OpusPacket packet) {
                    if (packet.getUserId() == speakerAccount.id() && !Arrays.equals(packet.getOpusAudio(), SILENCE)) {
                        heard.add(packet.getOpusAudio());
                    }
                }
            });
            speakerGuild.getAudioManager().setSendingHandler(frames);
            listenerGuild.getAudioManager().openAudioConnection(listenerGuild.getVoiceChannelById(world.voiceChannelId));
            speakerGuild.getAudioManager().openAudioConnection(speakerGuild.getVoiceChannelById(world.voiceChannelId));
            awaitConnected(listenerGuild);
            awaitConnected(speakerGuild);
            // JDA's own preference: AES-GCM (the discord.js suite covers XChaCha20)
            List<String> modes = new ArrayList<>();
            world.server.server().voice().rooms().forEach(s -> modes.add(s.cipher().mode().wireName()));
            assertThat(modes).containsExactly("aead_aes256_gcm_rtpsize", "aead_aes256_gcm_rtpsize");
            frames.open = true;

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (heard.size() < sent.size() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(200); // nothing more may come
            assertThat(heard).extracting(b -> new String(b, StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(sent.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        } finally {
            speaker.shutdownNow();
            listener.shutdownNow();
        }
    }
}
