package dev.gatehouse.gateway.netty;

import dev.gatehouse.gateway.GatewayMetrics;
import dev.gatehouse.gateway.session.ServerFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns {@link Outbound} messages into WebSocket frames on the channel's event loop, in write
 * order. Uncompressed dispatches wrap the shared body between the session's head and tail
 * without copying it.
 */
final class GatewayEncoder extends MessageToMessageEncoder<Outbound> {

    private final GatewayMetrics metrics;

    GatewayEncoder(GatewayMetrics metrics) {
        super(Outbound.class);
        this.metrics = metrics;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Outbound msg, List<Object> out) {
        ByteBuf content = switch (msg) {
            case Outbound.Control c -> Unpooled.wrappedBuffer(c.json().getBytes(StandardCharsets.UTF_8));
            case Outbound.Dispatch d -> Unpooled.wrappedBuffer(ServerFrames.dispatchHead(d.type(), d.seq()), d.body(),
                    ServerFrames.dispatchTail());
        };
        int size = content.readableBytes();
        metrics.bytesOut(size, size);
        out.add(new TextWebSocketFrame(content));
    }
}
