package dev.gatehouse.server.metrics;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayDeque;

/**
 * Sits right after the HTTP codec of one connection: notes each request as it arrives and pairs
 * it with the next response written, so it also sees the answers handlers further in give
 * themselves (413 from the aggregator, 503 while shutting down). HTTP/1.1 answers requests in
 * order, hence the queue. Reads and writes both run on the connection's event loop: no locks.
 */
final class HttpObserver extends ChannelDuplexHandler {

    private record Pending(String method, String path, long startNanos) {}

    private final HttpMetrics metrics;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    HttpObserver(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            pending.add(new Pending(request.method().name(), pathOf(request.uri()), System.nanoTime()));
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // 100 Continue is not the answer, the final response still follows; 101 (a WebSocket
        // upgrade) is the last HTTP answer the connection gives
        if (msg instanceof HttpResponse response
                && (response.status().codeClass() != HttpStatusClass.INFORMATIONAL || response.status().code() == 101)) {
            Pending p = pending.poll();
            if (p != null) {
                metrics.record(p.method(), p.path(), response.status().code(), System.nanoTime() - p.startNanos());
            }
        }
        ctx.write(msg, promise);
    }

    private static String pathOf(String uri) {
        try {
            return new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return ""; // undecodable: the API answers it with an error, and it is named unmatched
        }
    }
}
