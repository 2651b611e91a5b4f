package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestTls;
import dev.gatehouse.server.tls.TlsConfig;
import dev.gatehouse.voice.VoiceMetrics;
import dev.gatehouse.voice.crypto.EncryptionMode;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Voice end to end over real sockets: op 4 on the main gateway, the voice gateway over TLS with the
 * node's self-signed certificate, IP discovery and encrypted RTP in both modes through the relay,
 * and the ways a member is taken out of voice.
 */
class VoiceEndToEndTest {

    static final long GUILDS = 1;
    static final long VOICE = 1 << 7;

    static GatewayWorld world;
    static Path certs;
    static SslContext trust;

    @BeforeAll
    static void start() throws Exception {
        certs = Files.createTempDirectory("gatehouse-tls");
        world = GatewayWorld.start(c -> c.withTls(TlsConfig.selfSigned(0, certs)));
        trust = SslContextBuilder.forClient().trustManager(world.server.server().tls().certificate().toFile()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
        try (var files = Files.walk(certs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A member on the main gateway who joined a voice channel, and its voice connection. */
    record Member(Account account, GatewayTestClient gateway, VoicePeer voice) implements AutoCloseable {
        @Override
        public void close() {
            voice.close();
            gateway.close();
        }
    }

    static long voiceChannel(String name) {
        return world.api.post("/guilds/" + world.guildId + "/channels", world.owner.token(),
                Map.of("name", name, "type", 2)).json().get("id").asLong();
    }

    static Member join(String name, long channel) throws Exception {
        Account account = world.member(name);
        GatewayTestClient gateway = world.identified(account, "v=10", GUILDS | VOICE);
        String sessionId = gateway.received().stream().filter(m -> "READY".equals(m.path("t").asText())).findFirst()
                .orElseThrow().at("/d/session_id").asText();
        Map<String, Object> d = new HashMap<>();
        d.put("guild_id", Long.toString(world.guildId));
        d.put("channel_id", Long.toString(channel));
        d.put("self_mute", false);
        d.put("self_deaf", false);
        gateway.send(Map.of("op", 4, "d", d));
        JsonNode server = gateway.nextDispatch("VOICE_SERVER_UPDATE", WAIT);
        String endpoint = server.at("/d/endpoint").asText();
        assertThat(endpoint).isEqualTo("localhost:" + world.server.server().tlsPort());
        VoicePeer voice = VoicePeer.connect(endpoint, trust, world.guildId, account.id(), sessionId,
                server.at("/d/token").asText());
        return new Member(account, gateway, voice);
    }

    static byte[] opus(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Everything {@code to} receives until the relay is quiet for {@code quietMs}. */
    static List<VoicePeer.Frame> drain(VoicePeer to, int quietMs) throws Exception {
        List<VoicePeer.Frame> got = new ArrayList<>();
        for (VoicePeer.Frame f; (f = to.receiveAudio(quietMs)) != null;) {
            got.add(f);
        }
        return got;
    }

    @Test
    void twoMembersHearExactlyWhatTheOtherSendsInBothEncryptionModes() throws Exception {
        long channel = voiceChannel("talk");
        try (Member alice = join("alice", channel); Member bob = join("bob", channel)) {
            assertThat(alice.voice().next(VoiceOpcode.CLIENTS_CONNECT).at("/d/user_ids/0").asLong()).isEqualTo(bob.account().id());
            alice.voice().discoverAndSelect(EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
            bob.voice().discoverAndSelect(EncryptionMode.AEAD_XCHACHA20_POLY1305_RTPSIZE);

            alice.voice().speaking(true);
            JsonNode speaking = bob.voice().next(VoiceOpcode.SPEAKING);
            assertThat(speaking.at("/d/user_id").asLong()).isEqualTo(alice.account().id());
            assertThat(speaking.at("/d/ssrc").asLong()).isEqualTo(alice.voice().ssrc);

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add("alice frame " + i);
                alice.voice().sendAudio(opus("alice frame " + i));
            }
            List<VoicePeer.Frame> heard = drain(bob.voice(), 500);
            assertThat(heard).extracting(f -> new String(f.opus(), StandardCharsets.UTF_8)).containsExactlyElementsOf(sent);
            assertThat(heard).allSatisfy(f -> assertThat(f.ssrc()).isEqualTo(alice.voice().ssrc));
            assertThat(heard).extracting(VoicePeer.Frame::seq).isSorted();
            assertThat(drain(alice.voice(), 200)).as("a sender does not hear itself").isEmpty();

            // and back, from XChaCha20 to AES-GCM
            bob.voice().speaking(true);
            for (int i = 0; i < 5; i++) {
                bob.voice().sendAudio(opus("bob frame " + i));
            }
            assertThat(drain(alice.voice(), 500)).extracting(f -> new String(f.opus(), StandardCharsets.UTF_8))
                    .containsExactly("bob frame 0", "bob frame 1", "bob frame 2", "bob frame 3", "bob frame 4");
        }
    }

    @Test
    void forgedAndStrayPacketsAreDroppedAndCountedNeverForwarded() throws Exception {
        long channel = voiceChannel("guarded");
        VoiceMetrics metrics = world.server.server().voice().metrics();
        try (Member carol = join("carol", channel); Member dave = join("dave", channel)) {
            carol.voice().discoverAndSelect(EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
            dave.voice().discoverAndSelect(EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
            double forged = metrics.droppedCount(VoiceMetrics.Drop.AUTHENTICATION);
            double unknown = metrics.droppedCount(VoiceMetrics.Drop.UNKNOWN_SSRC);
            double stray = metrics.droppedCount(VoiceMetrics.Drop.UNKNOWN_ADDRESS);

            byte[] tampered = new byte[40];
            tampered[0] = (byte) 0x80;
            tampered[1] = 0x78;
            java.nio.ByteBuffer.wrap(tampered, 8, 4).putInt((int) carol.voice().ssrc);
            carol.voice().sendRaw(tampered);
            byte[] nobody = tampered.clone();
            java.nio.ByteBuffer.wrap(nobody, 8, 4).putInt(12345);
            carol.voice().sendRaw(nobody);
            carol.voice().sendRaw(new byte[8]); // a keep-alive: accepted, not echoed
            // dave's socket claims carol's SSRC: not the address that discovered it
            dave.voice().udp.send(new java.net.DatagramPacket(tampered, tampered.length, dave.voice().relay));

            assertThat(drain(dave.voice(), 300)).isEmpty();
            assertThat(drain(carol.voice(), 100)).isEmpty();
            assertThat(metrics.droppedCount(VoiceMetrics.Drop.AUTHENTICATION)).isEqualTo(forged + 1);
            assertThat(metrics.droppedCount(VoiceMetrics.Drop.UNKNOWN_SSRC)).isEqualTo(unknown + 1);
            assertThat(metrics.droppedCount(VoiceMetrics.Drop.UNKNOWN_ADDRESS)).isEqualTo(stray + 1);
        }
    }

    @Test
    void serverMuteSilencesTheSpeakerAndDeafenSilencesTheListener() throws Exception {
        long channel = voiceChannel("moderated");
        try (Member erin = join("erin", channel); Member frank = join("frank", channel)) {
            erin.voice().discoverAndSelect(EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
            frank.voice().discoverAndSelect(EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
            String member = "/guilds/" + world.guildId + "/members/";
            assertThat(world.api.patch(member + erin.account().id(), world.owner.token(), Map.of("mute", true)).status())
                    .isEqualTo(200);
            erin.gateway().nextDispatch("VOICE_STATE_UPDATE", WAIT);
            erin.voice().sendAudio(opus("muted"));
            assertThat(drain(frank.voice(), 300)).isEmpty();

            assertThat(world.api.patch(member + erin.account().id(), world.owner.token(), Map.of("mute", false)).status())
                    .isEqualTo(200);
            assertThat(world.api.patch(member + frank.account().id(), world.owner.token(), Map.of("deaf", true)).status())
                    .isEqualTo(200);
            erin.voice().sendAudio(opus("to the deaf"));
            assertThat(drain(frank.voice(), 300)).isEmpty();

            assertThat(world.api.patch(member + frank.account().id(), world.owner.token(), Map.of("deaf", false)).status())
                    .isEqualTo(200);
            erin.voice().sendAudio(opus("heard again"));
            assertThat(drain(frank.voice(), 500)).extracting(f -> new String(f.opus(), StandardCharsets.UTF_8))
                    .containsExactly("heard again");
        }
    }

    @Test
    void onAStageOnlyThoseAllowedToSpeakAreHeard() throws Exception {
        long stage = world.api.post("/guilds/" + world.guildId + "/channels", world.owner.token(),
                Map.of("name", "stage", "type", 13)).json().get("id").asLong();
        try (Member kim = join("kim", stage); Member lou = join("lou", stage)) {
            kim.voice().discoverAndSelect(EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
            lou.voice().discoverAndSelect(EncryptionMode.AEAD_XCHACHA20_POLY1305_RTPSIZE);
            kim.voice().sendAudio(opus("from the audience"));
            assertThat(drain(lou.voice(), 300)).as("a listener is not relayed").isEmpty();
            assertThat(world.api.patch("/guilds/" + world.guildId + "/voice-states/" + kim.account().id(), world.owner.token(),
                    Map.of("channel_id", Long.toString(stage), "suppress", false)).status()).isEqualTo(204);
            kim.voice().sendAudio(opus("from the stage"));
            assertThat(drain(lou.voice(), 500)).extracting(f -> new String(f.opus(), StandardCharsets.UTF_8))
                    .containsExactly("from the stage");
        }
    }

    @Test
    void aKickClosesTheVoiceConnectionWith4014AndTheOthersHearOpcode13() throws Exception {
        long channel = voiceChannel("kick");
        try (Member gina = join("gina", channel); Member hank = join("hank", channel)) {
            gina.voice().next(VoiceOpcode.CLIENTS_CONNECT);
            assertThat(world.api.delete("/guilds/" + world.guildId + "/members/" + hank.account().id(), world.owner.token())
                    .status()).isEqualTo(204);
            assertThat(hank.voice().ws.awaitClose(WAIT).code()).isEqualTo(4014);
            assertThat(gina.voice().next(VoiceOpcode.CLIENT_DISCONNECT).at("/d/user_id").asLong())
                    .isEqualTo(hank.account().id());
        }
    }

    @Test
    void aMainSessionThatEndsTakesItsVoiceConnectionWithIt() throws Exception {
        long channel = voiceChannel("session-end");
        try (Member ivy = join("ivy", channel)) {
            ivy.gateway().close(1000); // a clean close ends the gateway session
            assertThat(ivy.voice().ws.awaitClose(WAIT).code()).isEqualTo(4014);
        }
    }

    @Test
    void aVersionOutsideFourToEightIsRefusedWith4020AndTheMetricsShowTheCloses() throws Exception {
        String endpoint = "localhost:" + world.server.server().tlsPort();
        for (String v : new String[] {"3", "9", "x"}) {
            try (GatewayTestClient c = GatewayTestClient.connectTo(java.net.URI.create("wss://" + endpoint + "/?v=" + v), trust)) {
                assertThat(c.awaitClose(WAIT).code()).as("v=%s", v).isEqualTo(4020);
            }
        }
        // the voice gateway is on the plain port too, for clients that can do without TLS
        try (GatewayTestClient c = GatewayTestClient.connectTo(java.net.URI.create(
                "ws://127.0.0.1:" + world.server.server().port() + "/?v=4"))) {
            JsonNode hello = c.next(WAIT);
            assertThat(hello.get("op").asInt()).isEqualTo(8);
            c.sendRaw("{\"op\":1,\"d\":{}}");
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(4003);
        }
        String metrics = world.api.raw("GET", "/metrics", null, null, Map.of()).text();
        assertThat(metrics).contains("gatehouse_voice_closes_total{by=\"server\",code=\"4020\"} 3.0")
                .contains("gatehouse_voice_closes_total{by=\"server\",code=\"4003\"}")
                .contains("gatehouse_voice_packets_dropped_total{reason=\"authentication\"}")
                .contains("gatehouse_voice_relay_latency_seconds_bucket").contains("gatehouse_voice_sessions");
    }

    @Test
    void theGatewayUrlFollowsTheSchemeAskedOver() throws Exception {
        var plain = world.api.get("/gateway", null).json().get("url").asText();
        assertThat(plain).startsWith("ws://");
        var client = java.net.http.HttpClient.newBuilder().sslContext(TestTls.trusting(world.server.server().tls().certificate())).build();
        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "https://localhost:" + world.server.server().tlsPort() + "/api/v10/gateway")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"wss://").contains(":" + world.server.server().tlsPort() + "/gateway");
    }
}
