package dev.gatehouse.gateway.netty;

/** What the gateway writes to a channel; {@link GatewayEncoder} turns it into WebSocket frames. */
sealed interface Outbound {

    /** A control frame (Hello, heartbeat, op 7, op 9, op 12), already JSON. */
    record Control(String json) implements Outbound {}

    /** A dispatch: the shared body in this session's envelope. */
    record Dispatch(long seq, String type, byte[] body) implements Outbound {}
}
