package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.voice.SelectProtocol;
import dev.gatehouse.protocol.voice.Speaking;
import dev.gatehouse.protocol.voice.VoiceFrame;
import dev.gatehouse.protocol.voice.VoiceIdentify;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.voice.crypto.EncryptionMode;
import dev.gatehouse.voice.crypto.Rtp;
import dev.gatehouse.voice.crypto.TransportCipher;
import dev.gatehouse.voice.udp.IpDiscovery;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A voice client as the libraries are: the voice WebSocket (over TLS when given a context), IP
 * discovery and encrypted RTP on a UDP socket of its own.
 */
final class VoicePeer implements AutoCloseable {

    final GatewayTestClient ws;
    final DatagramSocket udp;
    long ssrc;
    InetSocketAddress relay;
    EncryptionMode mode;
    private TransportCipher sending;
    private TransportCipher receiving;
    private int rtpSeq = 100;

    private VoicePeer(GatewayTestClient ws) throws IOException {
        this.ws = ws;
        this.udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.udp.setSoTimeout(2_000);
    }

    /** Connects to {@code wss://endpoint/?v=8}: Hello, Identify, Ready. */
    static VoicePeer connect(String endpoint, SslContext tls, long guildId, long userId, String sessionId, String token)
            throws IOException {
        VoicePeer peer = new VoicePeer(GatewayTestClient.connectTo(URI.create("wss://" + endpoint + "/?v=8"), tls));
        JsonNode hello = peer.ws.next(WAIT);
        assertThat(hello.get("op").asInt()).isEqualTo(VoiceOpcode.HELLO.code());
        peer.send(VoiceOpcode.IDENTIFY, new VoiceIdentify(guildId, userId, sessionId, token, 0).data());
        JsonNode ready = peer.next(VoiceOpcode.READY);
        peer.ssrc = ready.at("/d/ssrc").asLong();
        peer.relay = new InetSocketAddress(ready.at("/d/ip").asText(), ready.at("/d/port").asInt());
        return peer;
    }

    void send(VoiceOpcode op, JsonNode d) {
        ws.sendRaw(new VoiceFrame(op, d).toJson());
    }

    /** The next message with this opcode, skipping others. */
    JsonNode next(VoiceOpcode op) {
        while (true) {
            JsonNode m = ws.next(WAIT);
            if (m.get("op").asInt() == op.code()) {
                return m;
            }
        }
    }

    /** IP discovery, then Select Protocol in {@code mode}; returns when the key has come. */
    void discoverAndSelect(EncryptionMode chosen) throws IOException {
        udp.send(new DatagramPacket(IpDiscovery.request(ssrc), IpDiscovery.LENGTH, relay));
        byte[] answer = new byte[IpDiscovery.LENGTH];
        DatagramPacket p = new DatagramPacket(answer, answer.length);
        udp.receive(p);
        assertThat(p.getLength()).isEqualTo(IpDiscovery.LENGTH);
        assertThat(IpDiscovery.type(answer)).isEqualTo(IpDiscovery.RESPONSE);
        assertThat(IpDiscovery.ssrc(answer)).isEqualTo(ssrc);
        assertThat(IpDiscovery.address(answer)).isEqualTo("127.0.0.1");
        assertThat(IpDiscovery.port(answer)).isEqualTo(udp.getLocalPort());
        send(VoiceOpcode.SELECT_PROTOCOL, new SelectProtocol("udp", IpDiscovery.address(answer), IpDiscovery.port(answer),
                chosen.wireName()).data());
        JsonNode description = next(VoiceOpcode.SESSION_DESCRIPTION);
        assertThat(description.at("/d/mode").asText()).isEqualTo(chosen.wireName());
        assertThat(description.at("/d/dave_protocol_version").asInt()).isZero();
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) description.at("/d/secret_key/" + i).asInt();
        }
        mode = chosen;
        sending = chosen.cipher(key);
        receiving = chosen.cipher(key);
    }

    void speaking(boolean on) {
        send(VoiceOpcode.SPEAKING, new Speaking(on ? Speaking.MICROPHONE : 0, 0, ssrc, 0).data());
    }

    /** One Opus frame as an encrypted RTP packet. */
    void sendAudio(byte[] opus) throws IOException {
        byte[] header = ByteBuffer.allocate(Rtp.FIXED_HEADER).put((byte) 0x80).put((byte) Rtp.OPUS_PAYLOAD_TYPE)
                .putShort((short) rtpSeq).putInt(rtpSeq * 960).putInt((int) ssrc).array();
        rtpSeq++;
        byte[] packet = sending.seal(header, header.length, opus);
        udp.send(new DatagramPacket(packet, packet.length, relay));
    }

    void sendRaw(byte[] packet) throws IOException {
        udp.send(new DatagramPacket(packet, packet.length, relay));
    }

    /** A received frame: who sent it (SSRC), its RTP sequence and the decrypted payload. */
    record Frame(long ssrc, int seq, byte[] opus) {}

    /** The next media packet, decrypted with this peer's key; null when none comes in time. */
    Frame receiveAudio(int timeoutMs) throws IOException {
        udp.setSoTimeout(timeoutMs);
        byte[] buffer = new byte[2048];
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        try {
            udp.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        int len = p.getLength();
        assertThat(buffer[1]).as("payload type, marker clear").isEqualTo((byte) Rtp.OPUS_PAYLOAD_TYPE);
        byte[] plain = receiving.open(buffer, len, Rtp.clearLength(buffer, len));
        assertThat(plain).as("authenticates under this peer's key").isNotNull();
        int seq = ((buffer[2] & 0xFF) << 8) | (buffer[3] & 0xFF);
        return new Frame(Rtp.ssrc(buffer), seq, Arrays.copyOfRange(plain, Rtp.extensionBodyLength(buffer, len), plain.length));
    }

    @Override
    public void close() {
        ws.close();
        udp.close();
    }
}
