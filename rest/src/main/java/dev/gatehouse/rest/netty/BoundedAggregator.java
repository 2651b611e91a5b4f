package dev.gatehouse.rest.netty;

import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.rest.http.ErrorBodies;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates request bodies up to the configured limit and answers a larger one with a JSON 413
 * (Netty's own answer has no body) before closing, so no oversized body is ever buffered.
 */
public final class BoundedAggregator extends HttpObjectAggregator {

    public BoundedAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (oversized instanceof HttpRequest request) {
            boolean head = request.method().name().equals("HEAD");
            Dialect dialect = request.uri().startsWith("/api/v1/") ? Dialect.FLUXER : Dialect.DISCORD;
            HttpApiHandler.write(ctx, ErrorBodies.of(dialect, ErrorCode.PAYLOAD_TOO_LARGE), false, head);
            HttpUtil.setKeepAlive(oversized, false);
        } else {
            ctx.close();
        }
    }
}
