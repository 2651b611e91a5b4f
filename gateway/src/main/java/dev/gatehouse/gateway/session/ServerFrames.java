package dev.gatehouse.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.GatewayFrame;
import dev.gatehouse.protocol.gateway.Heartbeat;
import dev.gatehouse.protocol.gateway.Hello;
import dev.gatehouse.protocol.gateway.InvalidSession;
import dev.gatehouse.protocol.gateway.Opcode;
import java.nio.charset.StandardCharsets;

/** The frames the server sends, in the envelope {@code {"op","d","s","t"}} clients expect. */
public final class ServerFrames {

    public static final String HEARTBEAT_REQUEST = Heartbeat.NONE.frame().toServerJson();
    public static final String HEARTBEAT_ACK = bare(Opcode.HEARTBEAT_ACK);
    public static final String RECONNECT = bare(Opcode.RECONNECT);
    public static final String INVALID_SESSION_RESUMABLE = new InvalidSession(true).frame().toServerJson();
    public static final String INVALID_SESSION = new InvalidSession(false).frame().toServerJson();

    private static final byte[] DISPATCH_SUFFIX = "}".getBytes(StandardCharsets.US_ASCII);

    private ServerFrames() {}

    public static String hello(long heartbeatIntervalMs) {
        return new Hello(heartbeatIntervalMs).frame().toServerJson();
    }

    /** Op 12 (fluxer): a request failed, the connection carries on. */
    public static String gatewayError(String code, String message) {
        ObjectNode d = Json.mapper().createObjectNode().put("code", code).put("message", message);
        return new GatewayFrame(Opcode.GATEWAY_ERROR.code(), d, 0, null).toServerJson();
    }

    /** A frame whose {@code d} is null. */
    private static String bare(Opcode op) {
        return new GatewayFrame(op.code(), null, 0, null).toServerJson();
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
