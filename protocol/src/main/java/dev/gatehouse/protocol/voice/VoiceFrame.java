package dev.gatehouse.protocol.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import java.io.IOException;

/**
 * One voice gateway message: {@code {op, d}}, and from the server in v8 also {@code seq}. Client
 * text frames are decoded strictly: anything but an object with an integer {@code op} is a 4002,
 * an opcode the client may not send a 4001.
 */
public record VoiceFrame(VoiceOpcode opcode, JsonNode d) {

    /** A client's text frame. */
    public static VoiceFrame decode(byte[] text, int maxBytes) throws VoiceViolation {
        if (text.length > maxBytes) {
            throw new VoiceViolation(VoiceCloseCode.DECODE_FAILED, "Payload larger than " + maxBytes + " bytes");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new VoiceViolation(VoiceCloseCode.DECODE_FAILED, "Payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new VoiceViolation(VoiceCloseCode.DECODE_FAILED, "Payload must be a JSON object");
        }
        JsonNode op = root.get("op");
        if (op == null || !op.isIntegralNumber() || !op.canConvertToLong()) {
            throw new VoiceViolation(VoiceCloseCode.DECODE_FAILED, "op must be an integer");
        }
        VoiceOpcode opcode = VoiceOpcode.of(op.longValue());
        if (opcode == null || !opcode.fromClient()) {
            throw new VoiceViolation(VoiceCloseCode.UNKNOWN_OPCODE, "Unknown opcode " + op.longValue());
        }
        return new VoiceFrame(opcode, root.get("d"));
    }

    /** The server's message; {@code seq} is written when not negative (v8 numbering). */
    public static String encode(VoiceOpcode op, JsonNode d, long seq) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("op", op.code());
        root.set("d", d);
        if (seq >= 0) {
            root.put("seq", seq);
        }
        return root.toString();
    }

    /** A client's message (test clients and tools). */
    public String toJson() {
        return encode(opcode, d, -1);
    }

    /** Shape checks reuse the gateway's field readers; every failure there is this gateway's 4002. */
    interface Parser<T> {
        T parse() throws ProtocolViolation;
    }

    static <T> T decoding(Parser<T> parser) throws VoiceViolation {
        try {
            return parser.parse();
        } catch (ProtocolViolation v) {
            throw new VoiceViolation(VoiceCloseCode.DECODE_FAILED, v.reason());
        }
    }
}
