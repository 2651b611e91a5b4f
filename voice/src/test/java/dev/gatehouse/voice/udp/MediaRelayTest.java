package dev.gatehouse.voice.udp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.model.VoiceState;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.voice.SelectProtocol;
import dev.gatehouse.protocol.voice.VoiceCloseCode;
import dev.gatehouse.protocol.voice.VoiceFrame;
import dev.gatehouse.protocol.voice.VoiceIdentify;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import dev.gatehouse.voice.VoiceConfig;
import dev.gatehouse.voice.VoiceMetrics;
import dev.gatehouse.voice.VoiceMetrics.Drop;
import dev.gatehouse.voice.crypto.EncryptionMode;
import dev.gatehouse.voice.crypto.Rtp;
import dev.gatehouse.voice.crypto.TransportCipher;
import dev.gatehouse.voice.session.VoiceConnection;
import dev.gatehouse.voice.session.VoiceIO;
import dev.gatehouse.voice.session.VoiceRooms;
import dev.gatehouse.voice.session.VoiceSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MediaRelayTest {

    record Sent(byte[] packet, InetSocketAddress to) {}

    private final Map<Long, VoiceState> states = new HashMap<>();
    private final VoiceConfig config = VoiceConfig.defaults().withPacketRate(50, 5);
    private final VoiceRooms rooms = new VoiceRooms((g, u) -> states.get(u), new SplittableRandom(3), config);
    private final VoiceMetrics metrics = new VoiceMetrics(new SimpleMeterRegistry());
    private final MediaRelay relay = new MediaRelay(rooms, metrics);
    private final List<Sent> sent = new ArrayList<>();
    private long nanos = 1_000_000_000L;

    /** A member connected in a mode, with the key the server gave it. */
    record Peer(VoiceSession session, InetSocketAddress address, TransportCipher cipher) {}

    private Peer peer(long user, int port, EncryptionMode mode) {
        VoiceState state = new VoiceState(1, 10, user, "s" + user, "t" + user, false, false, false, false, true, false, null);
        states.put(user, state);
        List<String> out = new ArrayList<>();
        VoiceIO io = new VoiceIO() {
            @Override
            public void send(String json) {
                out.add(json);
            }

            @Override
            public void close(VoiceCloseCode code, String reason) {
                throw new AssertionError("closed " + code + ": " + reason);
            }
        };
        VoiceConnection c = new VoiceConnection(8, config, rooms, io, new VoiceConnection.UdpEndpoint("127.0.0.1", 9), new SplittableRandom(user), 0);
        c.receiveText(new VoiceFrame(VoiceOpcode.IDENTIFY, new VoiceIdentify(1, user, "s" + user, "t" + user, 0).data())
                .toJson().getBytes(StandardCharsets.UTF_8), 0);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        receive(IpDiscovery.request(c.session().ssrc()), address);
        c.receiveText(new VoiceFrame(VoiceOpcode.SELECT_PROTOCOL, new SelectProtocol("udp", "127.0.0.1", port, mode.wireName())
                .data()).toJson().getBytes(StandardCharsets.UTF_8), 0);
        JsonNode description = out.stream().map(MediaRelayTest::json).filter(m -> m.get("op").asInt() == 4).findFirst().orElseThrow();
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) description.at("/d/secret_key/" + i).asInt();
        }
        sent.clear();
        return new Peer(c.session(), address, mode.cipher(key));
    }

    private static JsonNode json(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void receive(byte[] packet, InetSocketAddress from) {
        relay.receive(packet, packet.length, from, nanos, (p, length, to) -> sent.add(new Sent(java.util.Arrays.copyOf(p, length), to)));
    }

    private static byte[] header(long ssrc, String extra) {
        return HexFormat.of().parseHex("80780001000003c0" + String.format("%08x", ssrc) + extra);
    }

    @Test
    void discoveryAnswersWithTheSourceAddressAndBindsTheSessionToIt() {
        Peer a = peer(1, 4000, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        assertThat(a.session().address()).isEqualTo(a.address());
        receive(IpDiscovery.request(a.session().ssrc()), a.address());
        assertThat(sent).singleElement().satisfies(s -> {
            assertThat(s.packet()).hasSize(IpDiscovery.LENGTH);
            assertThat(IpDiscovery.type(s.packet())).isEqualTo(IpDiscovery.RESPONSE);
            assertThat(IpDiscovery.address(s.packet())).isEqualTo("127.0.0.1");
            assertThat(IpDiscovery.port(s.packet())).isEqualTo(4000);
            assertThat(s.to()).isEqualTo(a.address());
        });
        sent.clear();
        receive(IpDiscovery.request(a.session().ssrc()), new InetSocketAddress("127.0.0.1", 4999));
        receive(IpDiscovery.request(987654), a.address());
        assertThat(sent).as("no answer to another address, or for an unknown SSRC").isEmpty();
        assertThat(a.session().address()).isEqualTo(a.address());
        assertThat(metrics.droppedCount(Drop.UNKNOWN_ADDRESS)).isEqualTo(1);
        assertThat(metrics.droppedCount(Drop.UNKNOWN_SSRC)).isEqualTo(1);
    }

    @Test
    void listenersGetTheFrameUnderTheirKeyWithoutCsrcsPaddingOrMarkerAndWithTheExtension() {
        Peer a = peer(1, 4000, EncryptionMode.AEAD_XCHACHA20_POLY1305_RTPSIZE);
        Peer b = peer(2, 4001, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        long ssrc = a.session().ssrc();
        // X, P, one CSRC, marker set; an extension of one word; 3 bytes of padding
        byte[] header = HexFormat.of().parseHex("b1f80001000003c0" + String.format("%08x", ssrc) + "11111111" + "bede0001");
        byte[] plain = HexFormat.of().parseHex("10ff0000" + HexFormat.of().formatHex("opus".getBytes(StandardCharsets.US_ASCII)) + "000003");
        receive(a.cipher().seal(header, header.length, plain), a.address());

        assertThat(sent).singleElement().satisfies(s -> {
            assertThat(s.to()).isEqualTo(b.address());
            byte[] p = s.packet();
            assertThat(HexFormat.of().formatHex(p, 0, 16)).isEqualTo("90780001000003c0" + String.format("%08x", ssrc) + "bede0001");
            byte[] opened = b.cipher().open(p, p.length, Rtp.clearLength(p, p.length));
            assertThat(HexFormat.of().formatHex(opened)).isEqualTo("10ff0000" + HexFormat.of().formatHex("opus".getBytes(StandardCharsets.US_ASCII)));
        });
    }

    @Test
    void keepAlivesAndRtcpAreAcceptedButNeitherEchoedNorForwarded() {
        Peer a = peer(1, 4000, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        peer(2, 4001, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        receive(new byte[8], a.address());
        receive(new byte[9], a.address());
        receive(new byte[0], a.address());
        receive(HexFormat.of().parseHex("81c90007" + String.format("%08x", a.session().ssrc()) + "0000000000000000"), a.address());
        receive(new byte[30], a.address()); // not RTP version 2
        assertThat(sent).isEmpty();
        assertThat(metrics.droppedCount(Drop.MALFORMED)).isEqualTo(1);
    }

    @Test
    void aSenderAboveItsRateIsCutOffUntilItsBudgetRefills() {
        Peer a = peer(1, 4000, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        peer(2, 4001, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        byte[] header = header(a.session().ssrc(), "");
        for (int i = 0; i < 7; i++) {
            receive(a.cipher().seal(header, header.length, new byte[] {1}), a.address());
        }
        assertThat(sent).hasSize(5);
        assertThat(metrics.droppedCount(Drop.RATE)).isEqualTo(2);
        nanos += 100_000_000L; // 100 ms at 50 a second: 5 more
        for (int i = 0; i < 6; i++) {
            receive(a.cipher().seal(header, header.length, new byte[] {1}), a.address());
        }
        assertThat(sent).hasSize(10);
    }

    @Test
    void noKeyNoForwardAndAListenerWithoutAnAddressGetsNothing() {
        Peer a = peer(1, 4000, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        // b identified but never discovered nor selected
        states.put(2L, new VoiceState(1, 10, 2, "s2", "t2", false, false, false, false, true, false, null));
        rooms.identify(new VoiceIdentify(1, 2, "s2", "t2", 0), 8);
        byte[] header = header(a.session().ssrc(), "");
        receive(a.cipher().seal(header, header.length, new byte[] {1}), a.address());
        assertThat(sent).isEmpty();
        assertThat(metrics.droppedCount(Drop.AUTHENTICATION)).isZero();
    }

    @Test
    void aReplayedPacketIsDroppedAndReorderingWithinTheWindowIsNot() {
        Peer a = peer(1, 4000, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        peer(2, 4001, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        byte[] header = header(a.session().ssrc(), "");
        byte[] first = a.cipher().seal(header, header.length, new byte[] {1});
        byte[] second = a.cipher().seal(header, header.length, new byte[] {2});
        byte[] third = a.cipher().seal(header, header.length, new byte[] {3});
        receive(first, a.address());
        receive(third, a.address());
        receive(second, a.address()); // late, but new
        receive(second, a.address()); // again
        receive(first, a.address());
        assertThat(sent).hasSize(3);
        assertThat(metrics.droppedCount(Drop.REPLAY)).isEqualTo(2);
        for (int i = 0; i < 70; i++) {
            a.cipher().seal(header, header.length, new byte[] {4}); // nonces used up, never sent
        }
        nanos += 1_000_000_000L;
        byte[] late = a.cipher().seal(header, header.length, new byte[] {5});
        receive(late, a.address());
        assertThat(sent).hasSize(4);
    }

    @Test
    void oversizedDatagramsAndFloodsAreDroppedWhileOthersAreStillServed() {
        Peer a = peer(1, 4000, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        Peer b = peer(2, 4001, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        peer(3, 4002, EncryptionMode.AEAD_AES256_GCM_RTPSIZE);
        byte[] big = a.cipher().seal(header(a.session().ssrc(), ""), 12, new byte[MediaRelay.MAX_PACKET]);
        receive(big, a.address());
        assertThat(metrics.droppedCount(Drop.OVERSIZED)).isEqualTo(1);
        for (int i = 0; i < 1_000; i++) {
            receive(a.cipher().seal(header(a.session().ssrc(), ""), 12, new byte[] {1}), a.address());
            receive(new byte[] {(byte) 0x80, 0x78, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, b.address());
        }
        assertThat(metrics.droppedCount(Drop.RATE)).isEqualTo(995);
        sent.clear();
        receive(b.cipher().seal(header(b.session().ssrc(), ""), 12, new byte[] {9}), b.address());
        assertThat(sent).hasSize(2); // to a and to the third member
    }
}
