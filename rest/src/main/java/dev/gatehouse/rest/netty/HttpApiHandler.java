package dev.gatehouse.rest.netty;

import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.rest.http.ApiDispatcher;
import dev.gatehouse.rest.http.ApiRequest;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.ErrorBodies;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty end of the HTTP API: copies the aggregated request out of Netty's buffers, runs the
 * dispatcher on a virtual thread (routes block on JDBC and password hashing, the event loop must
 * not), and writes the answer back. Counts requests in flight so shutdown can wait for them.
 *
 * <p>HTTP/1.1 pipelining: requests of one connection run concurrently, but their answers go out
 * in request order (an answer that is ready early waits for those before it), as RFC 9112 §9.3.2
 * requires. A request that closes the connection ({@code Connection: close}, HTTP/1.0) is the
 * last one read: requests pipelined behind it are not run, and the connection closes only after
 * every earlier answer was written, so no committed change loses its answer. At most
 * {@link #MAX_PIPELINED} requests of a connection are in progress; reading pauses beyond.
 *
 * <p>One instance per connection; its state is confined to the connection's event loop.
 */
public final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpApiHandler.class);
    static final int MAX_PIPELINED = 16;

    private record Answer(ApiResponse response, boolean keepAlive, boolean head) {}

    private final ApiDispatcher dispatcher;
    private final ExecutorService workers;
    private final AtomicInteger inFlight;
    /** Number of the next request read, and of the next answer to write. */
    private long nextRequest;
    private long nextAnswer;
    private final Map<Long, Answer> waiting = new HashMap<>();
    /** A request asked to close: nothing after it is read or run. */
    private boolean closing;

    public HttpApiHandler(ApiDispatcher dispatcher, ExecutorService workers, AtomicInteger inFlight) {
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.inFlight = inFlight;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        if (closing) {
            return; // pipelined behind a request that closes the connection
        }
        long number = nextRequest++;
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        boolean head = msg.method().name().equals("HEAD");
        if (!keepAlive || !msg.decoderResult().isSuccess()) {
            closing = true;
            ctx.channel().config().setAutoRead(false);
        }
        if (nextRequest - nextAnswer >= MAX_PIPELINED) {
            ctx.channel().config().setAutoRead(false);
        }
        if (!msg.decoderResult().isSuccess()) {
            answered(ctx, number, new Answer(ErrorBodies.of(Dialect.DISCORD, ErrorCode.GENERAL_ERROR, "Malformed HTTP request",
                    Map.of()), false, false));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(msg.uri());
        Map<String, String> headers = new HashMap<>();
        msg.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        byte[] body = ByteBufUtil.getBytes(msg.content());
        String ip = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "unknown";
        Map<String, List<String>> query = uri.parameters();
        boolean secure = ctx.pipeline().get(SslHandler.class) != null;
        ApiRequest request = new ApiRequest(msg.method().name(), uri.path(), query, headers, body, ip, secure);
        inFlight.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    ApiResponse response;
                    try {
                        response = dispatcher.dispatch(request);
                    } catch (RuntimeException e) {
                        log.error("dispatch failed", e);
                        response = ErrorBodies.of(Dialect.DISCORD, ErrorCode.INTERNAL_ERROR);
                    }
                    Answer answer = new Answer(response, keepAlive, head);
                    ctx.executor().execute(() -> answered(ctx, number, answer));
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            closing = true;
            answered(ctx, number, new Answer(ErrorBodies.of(Dialect.DISCORD, ErrorCode.SERVICE_UNAVAILABLE,
                    "The server is shutting down.", Map.of()), false, head));
        }
    }

    /** On the event loop: writes every answer that is next in request order. */
    private void answered(ChannelHandlerContext ctx, long number, Answer answer) {
        waiting.put(number, answer);
        Answer next;
        while ((next = waiting.remove(nextAnswer)) != null) {
            nextAnswer++;
            write(ctx, next.response(), next.keepAlive(), next.head());
            if (!next.keepAlive()) {
                waiting.clear();
                return;
            }
        }
        if (!closing && nextRequest - nextAnswer < MAX_PIPELINED && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    static void write(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive, boolean head) {
        byte[] bytes = response.raw() != null ? response.raw() : response.body() != null ? Json.bytes(response.body()) : new byte[0];
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        if (response.contentType() != null && bytes.length > 0) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        }
        response.headers().forEach((k, v) -> out.headers().set(k, v));
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, head ? bytes.length : out.content().readableBytes());
        if (keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(out);
        } else {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("http connection error", cause);
        ctx.close();
    }
}
