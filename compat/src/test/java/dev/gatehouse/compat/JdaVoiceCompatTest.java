package dev.gatehouse.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.neovisionaries.ws.client.WebSocketFactory;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import dev.gatehouse.server.tls.TlsConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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

    static Path certs;
    static TestServer server;
    static ApiClient api;
    static Account owner;
    static long guildId;
    static long voiceChannelId;

    @BeforeAll
    static void start() throws Exception {
        certs = Files.createTempDirectory("gatehouse-jda-tls");
        server = TestServer.start(c -> c.withTls(TlsConfig.selfSigned(0, certs)));
        api = server.api();
        owner = api.register("owner");
        guildId = api.createGuild(owner, "Voice").get("id").asLong();
        voiceChannelId = CompatWorld.ok(api.post("/guilds/" + guildId + "/channels", owner.token(),
                Map.of("name", "Lounge", "type", 2))).get("id").asLong();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (var files = Files.walk(certs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Account bot(String name) {
        Account bot = api.createBot(owner, name);
        CompatWorld.ok(api.patch("/applications/" + bot.id(), owner.token(), Map.of("flags", Application.GATEWAY_GUILD_MEMBERS)));
        CompatWorld.ok(api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", owner.token(),
                Map.of("guild_id", Long.toString(guildId), "permissions", "0", "authorize", true)));
        return bot;
    }

    /** The node's self-signed certificate as the only trust anchor. */
    static SSLContext trust() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (var in = Files.newInputStream(server.server().tls().certificate())) {
            store.setCertificateEntry("gatehouse", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static JDA login(Account bot) throws Exception {
        String gateway = "ws://127.0.0.1:" + server.server().port() + "/gateway";
        JDA jda = JDABuilder.create(CompatWorld.rawToken(bot), EnumSet.of(GatewayIntent.GUILD_VOICE_STATES))
                .setRestConfig(new RestConfig().setBaseUrl(server.baseUrl() + "/api/v10/"))
                .setSessionController(new ConcurrentSessionController() {
                    @Override
                    public String getGateway() {
                        return gateway;
                    }
                })
                .setWebsocketFactory(new WebSocketFactory().setSSLContext(trust()))
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
        Account speakerAccount = bot("jda-speaker");
        Account listenerAccount = bot("jda-listener");
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
            Guild speakerGuild = speaker.getGuildById(guildId);
            Guild listenerGuild = listener.getGuildById(guildId);
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
            listenerGuild.getAudioManager().openAudioConnection(listenerGuild.getVoiceChannelById(voiceChannelId));
            speakerGuild.getAudioManager().openAudioConnection(speakerGuild.getVoiceChannelById(voiceChannelId));
            awaitConnected(listenerGuild);
            awaitConnected(speakerGuild);
            // JDA's own preference: AES-GCM (the discord.js suite covers XChaCha20)
            List<String> modes = new ArrayList<>();
            server.server().voice().rooms().forEach(s -> modes.add(s.cipher().mode().wireName()));
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
