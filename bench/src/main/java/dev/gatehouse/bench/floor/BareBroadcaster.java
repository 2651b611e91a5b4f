package dev.gatehouse.bench.floor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The floor of the gateway benchmark: the least a server can do for the load generator's sessions,
 * in bare Netty, so that Gatehouse's figures can be read against what this machine gives at all.
 * The WebSocket at {@code /gateway} sends Hello, answers Identify with a READY (session id, the
 * one guild as unavailable), Resume with RESUMED (nothing replayed) and heartbeats with their
 * acknowledgement. The HTTP API answers only the calls {@code GatewayLoad} makes (register, make
 * the guild, invite and join, post a message) from memory. A posted message is serialised once,
 * then each event loop writes it to its own sessions in one task, each frame its session's
 * sequence number around the shared body. No store, no permissions, no intents, no replay buffer:
 * everything Gatehouse does beyond this is what its ratio to the floor measures.
 *
 * <pre>java -cp gatehouse-bench.jar dev.gatehouse.bench.floor.BareBroadcaster PORT</pre>
 */
public final class BareBroadcaster {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AttributeKey<long[]> SEQ = AttributeKey.valueOf("seq");
    private static final String GUILD_ID = "1000000000000000001";
    private static final String CHANNEL_ID = "1000000000000000002";
    /** A MESSAGE_CREATE frame around its sequence number and the shared body. */
    private static final byte[] HEAD = "{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"s\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIDDLE = ",\"d\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "}".getBytes(StandardCharsets.US_ASCII);

    /** Each event loop's identified sessions; touched only on that loop. */
    private final Map<EventLoop, Set<Channel>> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1_100_000_000_000_000_000L);
    private final EventLoopGroup group;
    private final Supplier<String> publicUrl;

    private BareBroadcaster(EventLoopGroup group, Supplier<String> publicUrl) {
        this.group = group;
        this.publicUrl = publicUrl;
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        Channel server = start(port);
        System.out.println("Floor is listening on http://127.0.0.1:" + port);
        server.closeFuture().sync();
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free one); closing the channel stops it. */
    public static Channel start(int port) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory());
        Channel[] bound = new Channel[1];
        BareBroadcaster floor = new BareBroadcaster(group, () -> "ws://127.0.0.1:" + ((InetSocketAddress) bound[0].localAddress()).getPort());
        bound[0] = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/gateway").checkStartsWith(true).maxFramePayloadLength(64 * 1024).build()),
                                floor.new Api(), floor.new Gateway());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        bound[0].closeFuture().addListener(f -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
        return bound[0];
    }

    /** Sends a posted message to every session: one task per event loop over that loop's sessions. */
    private void broadcast(byte[] body) {
        ByteBuf shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(body).asReadOnly());
        group.forEach(executor -> executor.execute(() -> {
            Set<Channel> mine = sessions.get((EventLoop) executor);
            if (mine == null) {
                return;
            }
            for (Channel ch : mine) {
                long seq = ++ch.attr(SEQ).get()[0];
                ByteBuf frame = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(HEAD),
                        Unpooled.copiedBuffer(Long.toString(seq), StandardCharsets.US_ASCII), Unpooled.wrappedBuffer(MIDDLE),
                        shared.duplicate(), Unpooled.wrappedBuffer(TAIL));
                ch.writeAndFlush(new TextWebSocketFrame(frame), ch.voidPromise());
            }
        }));
    }

    private String nextId() {
        return Long.toString(ids.incrementAndGet());
    }

    /** The gateway: Hello on connect, READY, RESUMED, heartbeat acknowledgements. */
    private final class Gateway extends SimpleChannelInboundHandler<TextWebSocketFrame> {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                ctx.channel().attr(SEQ).set(new long[1]);
                send(ctx, "{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}");
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws Exception {
            JsonNode payload = JSON.readTree(frame.text());
            long[] seq = ctx.channel().attr(SEQ).get();
            switch (payload.path("op").asInt(-1)) {
                case 1 -> send(ctx, "{\"op\":11,\"d\":null}");
                case 2 -> {
                    String session = HexFormat.of().formatHex(randomBytes());
                    send(ctx, "{\"op\":0,\"t\":\"READY\",\"s\":" + (++seq[0]) + ",\"d\":{\"v\":10,\"user\":{\"id\":\"" + nextId()
                            + "\",\"username\":\"load\",\"discriminator\":\"0\",\"bot\":false},\"guilds\":[{\"id\":\"" + GUILD_ID
                            + "\",\"unavailable\":true}],\"session_id\":\"" + session + "\",\"resume_gateway_url\":\"" + publicUrl.get()
                            + "\",\"session_type\":\"normal\",\"private_channels\":[],\"relationships\":[],\"presences\":[]}}");
                    join(ctx.channel());
                }
                case 6 -> {
                    seq[0] = Math.max(seq[0], payload.path("d").path("seq").asLong());
                    send(ctx, "{\"op\":0,\"t\":\"RESUMED\",\"s\":" + (++seq[0]) + ",\"d\":{}}");
                    join(ctx.channel());
                }
                default -> { }
            }
        }

        private void join(Channel ch) {
            Set<Channel> mine = sessions.computeIfAbsent(ch.eventLoop(), loop -> new LinkedHashSet<>());
            mine.add(ch);
            ch.closeFuture().addListener(f -> mine.remove(ch));
        }

        private void send(ChannelHandlerContext ctx, String json) {
            ctx.writeAndFlush(new TextWebSocketFrame(json));
        }
    }

    /** The HTTP calls of the load generator, answered from memory. */
    private final class Api extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
            String path = request.uri();
            String answer;
            if (path.equals("/healthz")) {
                answer = "{\"status\":\"ok\"}";
            } else if (path.endsWith("/auth/register")) {
                answer = "{\"token\":\"" + nextId() + "." + HexFormat.of().formatHex(randomBytes()) + "\"}";
            } else if (path.endsWith("/guilds")) {
                answer = "{\"id\":\"" + GUILD_ID + "\",\"system_channel_id\":\"" + CHANNEL_ID + "\"}";
            } else if (path.endsWith("/invites")) {
                answer = "{\"code\":\"floor\"}";
            } else if (path.contains("/invites/")) {
                answer = "{}";
            } else if (path.endsWith("/messages")) {
                JsonNode posted = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
                String id = nextId();
                byte[] message = JSON.writeValueAsBytes(Map.of("id", id, "channel_id", CHANNEL_ID, "guild_id", GUILD_ID,
                        "content", posted.path("content").asText(), "author", Map.of("id", "1", "username", "load")));
                broadcast(message);
                answer = new String(message, StandardCharsets.UTF_8);
            } else {
                respond(ctx, request, HttpResponseStatus.NOT_FOUND, "{\"message\":\"404: Not Found\",\"code\":0}");
                return;
            }
            respond(ctx, request, HttpResponseStatus.OK, answer);
        }

        private void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String json) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
