package dev.gatehouse.voice.netty;

import dev.gatehouse.protocol.voice.VoiceCloseCode;
import dev.gatehouse.voice.VoiceServer;
import dev.gatehouse.voice.session.VoiceConnection;
import dev.gatehouse.voice.session.VoiceIO;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Translates between one voice WebSocket and its {@link VoiceConnection}: frames and timer ticks in,
 * sends and closes out. Sends may come from any thread (a peer's Speaking, a moderator's kick);
 * every write goes through the channel's task queue, so they leave in the order they were made,
 * which keeps v8's numbers in order on the wire.
 */
public final class VoiceChannelHandler extends ChannelInboundHandlerAdapter implements VoiceIO {

    /** How long the server waits for the client's answer to its close frame. */
    private static final long CLOSE_GRACE_MS = 1_000;
    /** A close frame's reason is at most 123 bytes. */
    private static final int MAX_REASON = 120;

    private final VoiceServer server;
    private final int version;
    private Channel channel;
    private VoiceConnection connection;
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;
    private boolean closing;
    private boolean counted;

    VoiceChannelHandler(VoiceServer server, int version) {
        this.server = server;
        this.version = version;
    }

    /** The handshake went out: Hello, then the timers run. */
    void start(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        counted = true;
        server.metrics().connectionOpened();
        connection = server.newConnection(version, this);
        connection.open();
        arm();
    }

    /** Closes a connection that asked for a version this server does not speak. */
    void refuse(ChannelHandlerContext ctx, VoiceCloseCode code, String reason) {
        channel = ctx.channel();
        close(code, reason);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (frame instanceof CloseWebSocketFrame c) {
                if (!closing) {
                    int code = c.statusCode() < 0 ? 1005 : c.statusCode();
                    server.metrics().closed(code, "client");
                    closing = true;
                    if (connection != null) {
                        connection.disconnected(server.now());
                    }
                    ctx.writeAndFlush(new CloseWebSocketFrame(code == 1005 ? 1000 : code, ""))
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.close(); // the answer to our close
                }
                return;
            }
            if (connection == null || closing) {
                return;
            }
            long now = server.now();
            switch (frame) {
                case TextWebSocketFrame t -> connection.receiveText(ByteBufUtil.getBytes(t.content()), now);
                case BinaryWebSocketFrame b -> connection.receiveBinary(ByteBufUtil.getBytes(b.content()), now);
                case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
                default -> { }
            }
            arm();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (connection != null) {
            connection.disconnected(server.now());
        }
        if (counted) {
            counted = false;
            server.metrics().connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException || cause instanceof TooLongFrameException
                || cause instanceof CorruptedFrameException) {
            close(VoiceCloseCode.DECODE_FAILED, "Malformed or oversized WebSocket frame");
            if (connection != null) {
                connection.disconnected(server.now());
            }
            return;
        }
        ctx.close();
    }

    // ---- VoiceIO: from any thread --------------------------------------------------------------

    @Override
    public void send(String json) {
        channel.eventLoop().execute(() -> {
            if (!closing && channel.isActive()) {
                channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
            }
        });
    }

    @Override
    public void close(VoiceCloseCode code, String reason) {
        channel.eventLoop().execute(() -> {
            if (closing) {
                return;
            }
            closing = true;
            server.metrics().closed(code);
            String why = reason == null ? code.meaning() : reason;
            byte[] bytes = why.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_REASON) {
                why = new String(bytes, 0, MAX_REASON, StandardCharsets.UTF_8);
            }
            channel.writeAndFlush(new CloseWebSocketFrame(code.code(), why));
            // the client answers the close frame; one that does not is cut off
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        });
    }

    // ---- timers --------------------------------------------------------------------------------

    private void arm() {
        long deadline = connection.nextDeadline();
        if (deadline >= timerAt || deadline == Long.MAX_VALUE) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = deadline;
        timer = channel.eventLoop().schedule(this::tick, Math.max(0, deadline - server.now()), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        timer = null;
        timerAt = Long.MAX_VALUE;
        if (!closing) {
            connection.tick(server.now());
            arm();
        }
    }
}
