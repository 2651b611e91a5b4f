package dev.gatehouse.rpc.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Requests that are not WebSocket upgrades: {@code GET /metrics} for the agent's monitoring, and
 * 404 for anything else, which is how Discord's own RPC port answers a plain request (libraries
 * probe the ports for it). Upgrades go on to the WebSocket handshake.
 */
final class PlainHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final Supplier<String> metrics;

    PlainHttpHandler(Supplier<String> metrics) {
        super(false);
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            ctx.fireChannelRead(req);
            return;
        }
        try {
            boolean metricsRequest = req.method().equals(HttpMethod.GET) && req.uri().equals("/metrics");
            byte[] body = metricsRequest ? metrics.get().getBytes(StandardCharsets.UTF_8)
                    : "{\"code\":0,\"message\":\"404: Not Found\"}".getBytes(StandardCharsets.UTF_8);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    metricsRequest ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND, Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, metricsRequest ? "text/plain; version=0.0.4; charset=utf-8" : "application/json");
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        } finally {
            req.release();
        }
    }
}
