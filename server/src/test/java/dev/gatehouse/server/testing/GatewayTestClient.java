package dev.gatehouse.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.etf.Etf;
import dev.gatehouse.protocol.compress.Compression;
import dev.gatehouse.protocol.compress.ZlibPayloadDecompressor;
import dev.gatehouse.protocol.compress.StreamDecompressor;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A synchronous gateway client over a real socket for tests: connect, send payloads, read what
 * the server sent in order, see how it closed. Decompresses zlib-stream and zstd-stream (one
 * context for the connection) and per-payload zlib. Frames the server sends are recorded in order.
 */
public final class GatewayTestClient implements AutoCloseable {

    /** The server's close frame, or 1006 when the socket went away without one. */
    public record CloseStatus(int code, String reason) {}

    private static final Object CLOSED = new Object();

    private final EventLoopGroup group;
    private final Channel channel;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> received = java.util.Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private volatile int binaryFrames;
    /** encoding=etf: both directions are ETF binary frames. */
    private final boolean etf;
    private final ZlibPayloadDecompressor payloads = new ZlibPayloadDecompressor(64 << 20);
    /** The transport decompressor, or null: binary frames are then per-payload zlib (Identify compress). */
    private final StreamDecompressor decompressor;

    private GatewayTestClient(URI base, String query) {
        this(URI.create(base.toString().replaceAll("/+$", "") + "/gateway" + (query.isEmpty() ? "" : "?" + query)), (SslContext) null);
    }

    /** @param tls for {@code wss://}: the client side of TLS (its trust) */
    private GatewayTestClient(URI uri, SslContext tls) {
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        this.etf = query.contains("encoding=etf");
        Compression compression = query.contains("compress=zlib-stream") ? Compression.ZLIB_STREAM
                : query.contains("compress=zstd-stream") ? Compression.ZSTD_STREAM : Compression.NONE;
        this.decompressor = compression == Compression.NONE ? null : StreamDecompressor.create(compression, 64 << 20);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CompletableFuture<Void> handshake = new CompletableFuture<>();
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).version(WebSocketVersion.V13).customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(64 << 20).handleCloseFrames(false).dropPongFrames(true)
                // abort() must drop the socket without a close frame; close(code) sends its own
                .sendCloseFrame(null).build();
        try {
            channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
                            }
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                    new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(64 << 20),
                                    new Reader(handshake));
                        }
                    })
                    .connect(uri.getHost(), uri.getPort()).sync().channel();
            handshake.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("could not connect to " + uri, e);
        }
    }

    public static GatewayTestClient connect(URI base, String query) {
        return new GatewayTestClient(base, query);
    }

    /** Connects to exactly this URL (path and query as given). */
    public static GatewayTestClient connectTo(URI url) {
        return new GatewayTestClient(url, (SslContext) null);
    }

    /** Connects to a {@code wss://} URL, trusting what {@code tls} trusts (the host name is checked). */
    public static GatewayTestClient connectTo(URI url, SslContext tls) {
        return new GatewayTestClient(url, tls);
    }

    /** The next payload the server sent; fails on timeout or when the connection closed first. */
    public JsonNode next(Duration timeout) {
        JsonNode n = poll(timeout);
        if (n == null) {
            throw new AssertionError("no payload within " + timeout + (closed.isDone() ? "; closed " + closed.join() : ""));
        }
        return n;
    }

    /** The next payload, or null on timeout or close. */
    public JsonNode poll(Duration timeout) {
        try {
            Object o = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (o == CLOSED) {
                inbox.add(CLOSED);
                return null;
            }
            return (JsonNode) o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Skips payloads until a dispatch of the type; fails on timeout. */
    public JsonNode nextDispatch(String type, Duration timeout) {
        JsonNode n = nextDispatchOf(List.of(type), timeout);
        if (n == null) {
            throw new AssertionError("no " + type + " within " + timeout + (closed.isDone() ? "; closed " + closed.join() : ""));
        }
        return n;
    }

    /** Skips payloads until a dispatch of one of the types; null when none came in time. */
    public JsonNode nextDispatchOf(Collection<String> types, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            JsonNode n = poll(Duration.ofNanos(left));
            if (n == null) {
                return null;
            }
            if (n.path("op").intValue() == 0 && types.contains(n.path("t").asText())) {
                return n;
            }
        }
    }

    /** Every payload received so far, in order. */
    public List<JsonNode> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public void send(Object payload) {
        if (etf) {
            sendRawBinary(Etf.encode(Json.mapper().valueToTree(payload)));
        } else {
            sendRaw(Json.string(payload));
        }
    }

    /** Sends a text frame; a send after the server closed is lost, as it would be for any client. */
    public void sendRaw(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text)).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    public void sendRawBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    public void identify(String token, long intents) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("token", token);
        d.put("properties", Map.of("os", "linux", "browser", "gatehouse-tests", "device", "gatehouse-tests"));
        d.put("intents", java.math.BigInteger.valueOf(intents)); // the shared mapper writes longs as strings
        send(Map.of("op", 2, "d", d));
    }

    public void resume(String token, String sessionId, long seq) {
        send(Map.of("op", 6, "d", Map.of("token", token, "session_id", sessionId, "seq", java.math.BigInteger.valueOf(seq))));
    }

    public void heartbeat(Long seq) {
        java.util.Map<String, Object> beat = new LinkedHashMap<>();
        beat.put("op", 1);
        beat.put("d", seq == null ? null : java.math.BigInteger.valueOf(seq));
        send(beat);
    }

    public CloseStatus awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("still open after " + timeout, e);
        }
    }

    public boolean isOpen() {
        return channel.isActive() && !closed.isDone();
    }

    /** A client-initiated close with the code. */
    public void close(int code) {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, "")).awaitUninterruptibly(2, TimeUnit.SECONDS);
            awaitQuietly();
        }
        shutdown();
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        shutdown();
    }

    @Override
    public void close() {
        if (channel.isActive()) {
            close(1000);
        } else {
            shutdown();
        }
    }

    private void awaitQuietly() {
        try {
            closed.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the server did not answer the close: the socket is dropped below
        }
    }

    private void shutdown() {
        channel.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private void deliver(byte[] text) {
        try {
            JsonNode n = etf ? Etf.decode(text) : Json.mapper().readTree(text);
            received.add(n);
            inbox.add(n);
        } catch (IOException e) {
            throw new UncheckedIOException("server sent invalid JSON: " + new String(text, StandardCharsets.UTF_8), e);
        }
    }

    private void binary(byte[] frame) {
        if (decompressor == null && etf) {
            deliver(frame);
            return;
        }
        if (decompressor == null) {
            binaryFrames++;
            deliver(payloads.decompress(frame));
            return;
        }
        decompressor.decompress(frame).ifPresent(this::deliver);
    }

    /** Binary frames that each held one zlib-compressed payload (Identify compress:true). */
    public int payloadCompressedFrames() {
        return binaryFrames;
    }

    private final class Reader extends SimpleChannelInboundHandler<Object> {

        private final CompletableFuture<Void> handshake;

        Reader(CompletableFuture<Void> handshake) {
            this.handshake = handshake;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshake.complete(null);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame t) {
                deliver(ByteBufUtil.getBytes(t.content()));
            } else if (msg instanceof BinaryWebSocketFrame b) {
                binary(ByteBufUtil.getBytes(b.content()));
            } else if (msg instanceof CloseWebSocketFrame c) {
                closed.complete(new CloseStatus(c.statusCode(), c.reasonText()));
                ctx.close();
            } else if (msg instanceof WebSocketFrame) {
                // pings are answered by Netty; nothing else matters here
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(new CloseStatus(1006, ""));
            inbox.add(CLOSED);
            if (decompressor != null) {
                decompressor.close(); // on the loop that used it
            }
            payloads.close();
            handshake.completeExceptionally(new IllegalStateException("closed during handshake"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.completeExceptionally(cause);
            ctx.close();
        }
    }
}
