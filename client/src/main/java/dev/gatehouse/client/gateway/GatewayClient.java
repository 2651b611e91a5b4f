package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.compress.Compression;
import dev.gatehouse.protocol.compress.StreamDecompressor;
import dev.gatehouse.protocol.etf.Etf;
import dev.gatehouse.protocol.gateway.Encoding;
import dev.gatehouse.protocol.gateway.GatewayFrame;
import dev.gatehouse.protocol.gateway.GatewayPayload;
import dev.gatehouse.protocol.gateway.PresenceUpdate;
import dev.gatehouse.protocol.gateway.RequestGuildMembers;
import dev.gatehouse.protocol.gateway.VoiceStateUpdate;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
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
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway client over Netty: one session, kept across connections by {@link GatewayClientCore}.
 * Everything runs on one event loop (the core, the listener, the timers), so reconnect waits are
 * scheduled tasks and never block a thread.
 *
 * <pre>{@code
 * GatewayClient client = GatewayClient.start(
 *         ClientConfig.of(URI.create("ws://127.0.0.1:8080/gateway"), token, intents),
 *         new GatewayListener() {
 *             public void onDispatch(String type, JsonNode d, long seq) { ... }
 *         });
 * ...
 * client.close(); // closes with 1000, ending the session
 * }</pre>
 *
 * <p>The futures this client returns complete on its event loop: continuations that block (a
 * {@code join()} on another of its futures) must run elsewhere ({@code thenApplyAsync}).
 */
public final class GatewayClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayClient.class);
    /** How long a request waits for the dispatches that answer it. */
    static final int ANSWER_TIMEOUT_SECONDS = 30;
    /** Largest message after decompression; Discord's own payloads stay far below. */
    static final int MAX_MESSAGE_BYTES = 64 << 20;
    /** How long the client waits for the server's answer to its close frame before dropping the socket. */
    static final long CLOSE_GRACE_MS = 1_000;

    private final ClientConfig config;
    private final EventLoopGroup ownGroup;
    private final EventLoop loop;
    private final GatewayClientCore core;
    private final SslContext ssl;
    private final CompletableFuture<Integer> stopped = new CompletableFuture<>();
    private final PendingAnswers answers = new PendingAnswers();
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;
    /** The connection the core is talking to; callbacks of older ones are ignored. */
    private Connection current;

    private GatewayClient(ClientConfig config, GatewayListener listener, MeterRegistry meters, EventLoopGroup group) {
        this.config = config;
        this.ownGroup = group == null ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : null;
        this.loop = (group == null ? ownGroup : group).next();
        this.ssl = config.gateway().getScheme().equals("wss") ? sslContext() : null;
        GatewayListener both = new Listeners(List.of(listener, answers, new ClientMetrics(meters, config.dialect()), new StopSignal()));
        this.core = new GatewayClientCore(config, new Transport(), both, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Starts a client on its own event loop thread; metrics go nowhere. */
    public static GatewayClient start(ClientConfig config, GatewayListener listener) {
        return start(config, listener, null, null);
    }

    /**
     * Starts a client. {@code meters} receives the seed's client metrics (null: none);
     * {@code group} shares an event loop group among many clients (null: a thread of its own); it
     * must run NIO channels ({@code new MultiThreadIoEventLoopGroup(n, NioIoHandler.newFactory())}).
     */
    public static GatewayClient start(ClientConfig config, GatewayListener listener, MeterRegistry meters, EventLoopGroup group) {
        GatewayClient client = new GatewayClient(config, listener, meters, group);
        client.loop.execute(() -> {
            client.core.start(client.now());
            client.arm();
        });
        return client;
    }

    /**
     * Sends a payload for the session, paced under the server's limits ({@link SendLimits}): at
     * once when the session is live and the limits allow, else when they do (after a resume, if the
     * connection is down meanwhile). Completes when the frame is handed to the connection; fails
     * with {@link IllegalStateException} when it never will be: the session ended (the server would
     * not know what it refers to), the client stopped, too many frames wait, or a newer presence
     * update replaced it. Fails with {@link IllegalArgumentException} for an opcode the client
     * sends itself or the dialect does not take from applications.
     */
    public CompletableFuture<Void> send(GatewayPayload payload) {
        return send(payload.opcode().code(), payload.data());
    }

    /** {@link #send(GatewayPayload)} for an opcode this SDK has no type for. */
    public CompletableFuture<Void> send(int op, JsonNode d) {
        if (!GatewayClientCore.isApplicationOp(config.dialect(), op)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "op " + op + " is not one an application sends in the " + config.dialect() + " dialect"));
        }
        String frame;
        try { // now, on the caller's thread: later changes to d do not reach the wire
            frame = new GatewayFrame(op, d, 0, null).toJson().toString();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        Runnable enqueue = () -> {
            String refused = core.enqueue(op, frame, now(), why -> {
                if (why == null) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(new IllegalStateException("op " + op + " not sent: " + why));
                }
            });
            if (refused != null) {
                written.completeExceptionally(new IllegalStateException("op " + op + " not sent: " + refused));
            }
            arm();
        };
        if (!runOnLoop(enqueue)) {
            written.completeExceptionally(new IllegalStateException("op " + op + " not sent: the client stopped"));
        }
        return written;
    }

    /**
     * Op 3: the session's presence. The server applies 5 per 20 s; an update still waiting when a
     * newer one is sent is dropped for it (its future fails: only the latest presence counts).
     */
    public CompletableFuture<Void> updatePresence(PresenceUpdate presence) {
        return send(presence);
    }

    /**
     * Op 4: joins, moves or leaves a voice channel. A join completes with the VOICE_SERVER_UPDATE the
     * server answers ({@code {token, guild_id, endpoint}}); a leave completes with null once sent,
     * and a join of the guild still waiting for its answer fails.
     */
    public CompletableFuture<JsonNode> updateVoiceState(VoiceStateUpdate update) {
        if (update.channelId() == null) {
            runOnLoop(() -> answers.cancelVoice(update.guildId()));
            return send(update).thenApply(v -> null);
        }
        return answer(() -> new Pending<>(answers.voiceServer(update.guildId()), update));
    }

    /**
     * Op 8: requests guild members and completes with every GUILD_MEMBERS_CHUNK of the answer, in
     * order, matched by the request's nonce (the client picks one when the request has none; one of
     * the caller's must be unique among those waiting and at most 32 bytes). Paced at 3 per 10 s;
     * fails with {@link GatewayRateLimitedException} if the server refuses it anyway, and with a
     * {@link TimeoutException} when no answer comes within {@value #ANSWER_TIMEOUT_SECONDS} s (the
     * server sends none for a guild the user is not in).
     */
    public CompletableFuture<List<JsonNode>> requestGuildMembers(RequestGuildMembers request) {
        if (request.nonce() != null && request.nonce().getBytes(StandardCharsets.UTF_8).length > RequestGuildMembers.MAX_NONCE_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a nonce of more than " + RequestGuildMembers.MAX_NONCE_BYTES + " bytes is dropped by the server"));
        }
        return answer(() -> {
            String nonce = request.nonce() != null ? request.nonce() : answers.nextNonce();
            return new Pending<>(answers.members(nonce), new RequestGuildMembers(request.guildId(), request.query(),
                    request.limit(), request.userIds(), request.presences(), nonce));
        });
    }

    /** A request and the answer registered for it. */
    private record Pending<T>(CompletableFuture<T> answer, GatewayPayload request) {}

    /**
     * Registers an answer on the loop, then sends the request it answers; the answer is the result.
     * Fails with the send's failure, or after {@value #ANSWER_TIMEOUT_SECONDS} s without an answer.
     */
    private <T> CompletableFuture<T> answer(Supplier<Pending<T>> register) {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean accepted = runOnLoop(() -> {
            Pending<T> pending = register.get();
            CompletableFuture<T> answer = pending.answer();
            answer.whenComplete((value, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(value);
                }
            });
            if (answer.isDone()) {
                return;
            }
            ScheduledFuture<?> timeout = loop.schedule(() -> answer.completeExceptionally(new TimeoutException(
                    "no answer within " + ANSWER_TIMEOUT_SECONDS + " s")), ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            answer.whenComplete((value, e) -> timeout.cancel(false));
            send(pending.request()).whenComplete((v, e) -> {
                if (e != null) {
                    answer.completeExceptionally(e);
                }
            });
        });
        if (!accepted) {
            result.completeExceptionally(new IllegalStateException("the client stopped"));
        }
        return result;
    }

    /** Runs on the client's loop; false when the loop is gone (the client was closed). */
    private boolean runOnLoop(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Leaves the current connection and resumes on a new one (see {@link GatewayClientCore#reconnect}). */
    public void reconnect() {
        loop.execute(() -> {
            core.reconnect(now());
            arm();
        });
    }

    public GatewayClientCore.State state() {
        return loop.inEventLoop() ? core.state() : CompletableFuture.supplyAsync(core::state, loop).join();
    }

    /** Completes with the close code that stopped the client for good (1000 after {@link #close}). */
    public CompletableFuture<Integer> stopped() {
        return stopped;
    }

    /**
     * Closes with 1000 (the session ends on the server) and waits briefly for the socket to go;
     * called from a listener (on the client's own loop), it does not wait.
     */
    @Override
    public void close() {
        loop.execute(() -> {
            core.stop(now());
            arm();
        });
        if (ownGroup != null) {
            stopped.whenComplete((code, e) -> ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS));
        }
        if (loop.inEventLoop()) {
            return;
        }
        try {
            stopped.get(CLOSE_GRACE_MS * 3, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.debug("gateway client did not stop in time", e);
            if (ownGroup != null) {
                ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    private long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** Keeps one timer at the core's next deadline. */
    private void arm() {
        long deadline = core.nextDeadline(now());
        if (deadline == timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        timerAt = deadline;
        if (deadline != Long.MAX_VALUE) {
            timer = loop.schedule(() -> {
                timer = null;
                timerAt = Long.MAX_VALUE;
                try {
                    core.tick(now());
                } finally {
                    arm(); // whatever a tick threw, the next deadline stays armed
                }
            }, Math.max(0, deadline - now()), TimeUnit.MILLISECONDS);
        }
    }

    private static SslContext sslContext() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS for wss:// gateways", e);
        }
    }

    /** The core's network: each connect makes a new {@link Connection}. Runs on the loop. */
    private final class Transport implements ClientTransport {

        @Override
        public void connect(String url) {
            current = new Connection(URI.create(url));
        }

        @Override
        public boolean send(String payload) {
            return current != null && current.write(payload);
        }

        @Override
        public void close(int code, String reason) {
            if (current != null) {
                current.closeWith(code, reason);
            }
        }
    }

    /** One WebSocket. Its callbacks reach the core only while it is the current connection. */
    private final class Connection extends SimpleChannelInboundHandler<Object> {

        private final StreamDecompressor decompressor;
        private final Channel channel;
        /** Whether the WebSocket handshake completed. */
        private boolean open;
        private int closeCode = 1006;
        private String closeReason = "";
        private boolean reported;
        private boolean released;

        Connection(URI uri) {
            this.decompressor = config.compression() == Compression.NONE ? null
                    : StreamDecompressor.create(config.compression(), MAX_MESSAGE_BYTES);
            int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("wss") ? 443 : 80;
            WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri).version(WebSocketVersion.V13).customHeaders(new DefaultHttpHeaders())
                    .maxFramePayloadLength(MAX_MESSAGE_BYTES).handleCloseFrames(false).dropPongFrames(true)
                    .sendCloseFrame(null).build();
            channel = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.helloTimeout().toMillis())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (ssl != null) {
                                ch.pipeline().addLast(ssl.newHandler(ch.alloc(), uri.getHost(), port));
                            }
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                    new WebSocketClientProtocolHandler(ws), new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
                                    Connection.this);
                        }
                    })
                    .connect(uri.getHost(), port).addListener(f -> {
                        if (!f.isSuccess()) {
                            release(); // never active: channelInactive will not come
                            report(); // refused or timed out: closed without ever opening
                        }
                    }).channel();
        }

        boolean write(String payload) {
            if (!open || !channel.isActive()) {
                return false;
            }
            if (config.encoding() == Encoding.ETF) {
                try {
                    byte[] etf = Etf.encode(Json.mapper().readTree(payload));
                    channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(etf)));
                } catch (IOException e) {
                    throw new IllegalArgumentException("not JSON: " + payload, e);
                }
            } else {
                channel.writeAndFlush(new TextWebSocketFrame(payload));
            }
            return true;
        }

        void closeWith(int code, String reason) {
            closeCode = code;
            closeReason = reason;
            if (open && channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
                loop.schedule(() -> channel.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
            } else {
                channel.close(); // still connecting: the failed connect or channelInactive reports it
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE && isCurrent()) {
                open = true;
                core.opened(now());
                arm();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!isCurrent()) {
                ctx.close();
                return;
            }
            try {
                if (msg instanceof TextWebSocketFrame t) {
                    deliver(Json.mapper().readTree(ByteBufUtil.getBytes(t.content())));
                } else if (msg instanceof BinaryWebSocketFrame b) {
                    byte[] bytes = ByteBufUtil.getBytes(b.content());
                    byte[] message = decompressor == null ? bytes : decompressor.decompress(bytes).orElse(null);
                    if (message != null) {
                        deliver(config.encoding() == Encoding.ETF ? Etf.decode(message) : Json.mapper().readTree(message));
                    }
                } else if (msg instanceof CloseWebSocketFrame c) {
                    closeCode = c.statusCode() < 0 ? 1005 : c.statusCode();
                    closeReason = c.reasonText();
                    ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, "")).addListener(f -> ctx.close());
                }
            } catch (IOException | RuntimeException e) { // bad JSON or ETF, a corrupt stream (DecompressionException)
                log.warn("gateway sent something unreadable; reconnecting", e);
                core.unreadable(now());
                arm();
            }
        }

        private void deliver(JsonNode frame) {
            core.received(frame, now());
            arm();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            release();
            report();
        }

        /** Frees the decompression context (native memory for zstd), once. */
        private void release() {
            if (decompressor != null && !released) {
                released = true;
                decompressor.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("gateway connection failed", cause);
            ctx.close();
        }

        private boolean isCurrent() {
            return current == this;
        }

        /** Tells the core this connection is gone, once. */
        private void report() {
            if (reported || !isCurrent()) {
                return;
            }
            reported = true;
            core.closed(closeCode, closeReason, now());
            arm();
        }
    }

    /** Completes {@link #stopped()}. */
    private final class StopSignal implements GatewayListener {
        @Override
        public void onStopped(int code, String reason) {
            stopped.complete(code);
        }
    }
}
