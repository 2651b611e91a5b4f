package dev.gatehouse.voice.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.voice.VoiceFrame;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import dev.gatehouse.voice.crypto.EncryptionMode;
import java.util.HexFormat;
import java.util.List;

/** The server's unnumbered messages, and the bodies of the numbered ones (docs/VOICE.md §2). */
final class VoiceFrames {

    /** The DAVE protocol version every session runs: none (transport encryption only). */
    static final int DAVE_VERSION = 0;

    private VoiceFrames() {}

    static String hello(long heartbeatIntervalMs, int version) {
        ObjectNode d = Json.mapper().createObjectNode().put("v", version).put("heartbeat_interval", heartbeatIntervalMs);
        return VoiceFrame.encode(VoiceOpcode.HELLO, d, -1);
    }

    /** Op 2: the SSRC, where the relay listens, and the modes in the server's order of preference. */
    static String ready(long ssrc, String ip, int port, List<EncryptionMode> offered) {
        ObjectNode d = Json.mapper().createObjectNode().put("ssrc", ssrc).put("ip", ip).put("port", port);
        ArrayNode modes = d.putArray("modes");
        offered.forEach(m -> modes.add(m.wireName()));
        d.putArray("experiments");
        d.putArray("streams");
        return VoiceFrame.encode(VoiceOpcode.READY, d, -1);
    }

    /** Op 4's body: the mode, the 32-byte key as an array of numbers, and DAVE off. */
    static JsonNode sessionDescription(EncryptionMode mode, byte[] key, byte[] mediaSessionId) {
        ObjectNode d = Json.mapper().createObjectNode().put("mode", mode.wireName());
        ArrayNode secret = d.putArray("secret_key");
        for (byte b : key) {
            secret.add(b & 0xFF);
        }
        d.put("dave_protocol_version", DAVE_VERSION);
        d.put("audio_codec", "opus");
        d.put("video_codec", "H264");
        d.put("media_session_id", HexFormat.of().formatHex(mediaSessionId));
        return d;
    }

    /** Op 6 echoes the heartbeat's {@code d} as it came. */
    static String heartbeatAck(JsonNode d) {
        return VoiceFrame.encode(VoiceOpcode.HEARTBEAT_ACK, d, -1);
    }

    static String resumed() {
        return VoiceFrame.encode(VoiceOpcode.RESUMED, Json.mapper().nullNode(), -1);
    }
}
