package dev.gatehouse.gateway.session;

import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.GatewayFrame;
import dev.gatehouse.protocol.gateway.Heartbeat;
import dev.gatehouse.protocol.gateway.Hello;
import dev.gatehouse.protocol.gateway.InvalidSession;
import dev.gatehouse.protocol.gateway.Opcode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The frames the server sends, in the envelope {@code {"op","d","s","t"}} clients expect. */
public final class ServerFrames {

    public static final String HEARTBEAT_REQUEST = GatewayFrame.control(Heartbeat.NONE).toServerJson();
    public static final String HEARTBEAT_ACK = control(Opcode.HEARTBEAT_ACK, "null");
    public static final String RECONNECT = control(Opcode.RECONNECT, "null");
    public static final String INVALID_SESSION_RESUMABLE = GatewayFrame.control(new InvalidSession(true)).toServerJson();
    public static final String INVALID_SESSION = GatewayFrame.control(new InvalidSession(false)).toServerJson();

    private static final byte[] DISPATCH_SUFFIX = "}".getBytes(StandardCharsets.US_ASCII);

    private ServerFrames() {}

    public static String hello(long heartbeatIntervalMs) {
        return GatewayFrame.control(new Hello(heartbeatIntervalMs)).toServerJson();
    }

    /** Op 12 (fluxer): a request failed, the connection carries on. */
    public static String gatewayError(String code, String message) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("code", code);
        d.put("message", message);
        return control(Opcode.GATEWAY_ERROR, Json.string(d));
    }

    private static String control(Opcode op, String d) {
        return "{\"op\":" + op.code() + ",\"d\":" + d + ",\"s\":null,\"t\":null}";
    }

    /** The per-session head of a dispatch: {@code {"op":0,"t":"<type>","s":<seq>,"d":}. */
    public static byte[] dispatchHead(String type, long seq) {
        return ("{\"op\":0,\"t\":\"" + type + "\",\"s\":" + seq + ",\"d\":").getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] dispatchTail() {
        return DISPATCH_SUFFIX;
    }

    /** A whole dispatch frame as one array (compressed connections need it contiguous). */
    public static byte[] dispatch(String type, long seq, byte[] body) {
        byte[] head = dispatchHead(type, seq);
        byte[] out = new byte[head.length + body.length + 1];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        out[out.length - 1] = '}';
        return out;
    }
}
