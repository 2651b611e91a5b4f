package dev.gatehouse.gateway.netty;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.gateway.session.ConnectionIO;
import dev.gatehouse.gateway.session.GatewayConnection;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.gateway.session.SessionSink;
import dev.gatehouse.gateway.session.SlowReaderPolicy;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Encoding;
import dev.gatehouse.protocol.gateway.Identify;
import dev.gatehouse.protocol.gateway.Opcode;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import dev.gatehouse.protocol.gateway.Resume;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollSocketChannel;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates between one WebSocket and its {@link GatewayConnection}: frames in, timer ticks in,
 * the connection's sends, closes and requests out. Holds no protocol logic of its own.
 */
public final class GatewayChannelHandler extends ChannelInboundHandlerAdapter implements ConnectionIO {

    private static final Logger log = LoggerFactory.getLogger(GatewayChannelHandler.class);

    private final Gateway gateway;
    private final Dialect dialect;
    private final Encoding encoding;
    private final GatewayEncoder encoder;
    private Channel channel;
    private GatewayConnection connection;
    private final Sink sink = new Sink();
    /** How long the server waits for the client's answer to its close frame. */
    static final long CLOSE_GRACE_MS = 1_000;

    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> slowTimer;
    private SlowReaderPolicy slowReaders;
    private long timerAt = Long.MAX_VALUE;
    private boolean counted;
    private boolean closeSent;

    GatewayChannelHandler(Gateway gateway, Dialect dialect, Encoding encoding, GatewayEncoder encoder) {
        this.gateway = gateway;
        this.dialect = dialect;
        this.encoding = encoding;
        this.encoder = encoder;
    }

    /** Called once the handshake went out: Hello, then the timers run. */
    void start(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        sink.inOrder = new InOrderOnLoop(channel.eventLoop());
        slowReaders = SlowReaderPolicy.of(gateway.config());
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(slowReaders.lowWaterMark(), slowReaders.highWaterMark()));
        gateway.metrics().connectionOpened();
        gateway.track(this);
        counted = true;
        connection = gateway.newConnection(dialect, encoding, this, sink);
        connection.open();
        arm();
    }

    /** Closes a connection that asked for something this server does not serve (4012, 4002). */
    void refuse(ChannelHandlerContext ctx, CloseCode code, String reason) {
        channel = ctx.channel();
        close(code.code(), reason);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (frame instanceof CloseWebSocketFrame && closeSent) {
                // the client answered our close: the handshake is complete
                ctx.close();
                return;
            }
            if (connection == null) {
                return;
            }
            long now = gateway.now();
            switch (frame) {
                case TextWebSocketFrame t -> receive(t.content(), now);
                case BinaryWebSocketFrame b -> receive(b.content(), now);
                case CloseWebSocketFrame c -> {
                    int code = c.statusCode() < 0 ? 1005 : c.statusCode();
                    gateway.metrics().closed(dialect, code, "client");
                    connection.closedByClient(code, now);
                    closeSent = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(code == 1005 ? 1000 : code, ""))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
                case PongWebSocketFrame p -> pong(p.content());
                default -> { }
            }
            arm();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The answer to a latency ping: its payload is the send time. */
    private void pong(ByteBuf content) {
        if (content.readableBytes() == Long.BYTES) {
            gateway.metrics().heartbeatLatency((System.nanoTime() - content.getLong(content.readerIndex())) / 1000);
        }
    }

    private void receive(ByteBuf content, long now) {
        gateway.metrics().bytesIn(content.readableBytes());
        connection.receive(ByteBufUtil.getBytes(content), now);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (slowTimer != null) {
            slowTimer.cancel(false);
        }
        if (connection != null) {
            connection.lost(gateway.now());
        }
        if (counted) {
            counted = false;
            gateway.untrack(this);
            gateway.metrics().connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    /**
     * Over the unread limit: a client that reads catches up within the grace (a resume replay can
     * queue megabytes at once); one that does not is dropped, its session kept for a resume.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (connection != null) {
            if (!ctx.channel().isWritable()) {
                if (slowTimer == null) {
                    slowTimer = ctx.executor().schedule(this::dropIfStillUnread, slowReaders.graceMs(), TimeUnit.MILLISECONDS);
                }
            } else if (slowTimer != null) {
                slowTimer.cancel(false);
                slowTimer = null;
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void dropIfStillUnread() {
        slowTimer = null;
        if (slowReaders.dropsAfterGrace(channel.isWritable())) {
            dropUnread();
        }
    }

    private void dropUnread() {
        connection.close(CloseCode.UNKNOWN_ERROR, "Client is not reading: " + queuedBytes() + " bytes unread");
        channel.close(); // the queue goes with it: the close frame would wait behind it forever
    }

    private long queuedBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connection != null && (cause instanceof CorruptedWebSocketFrameException || cause instanceof TooLongFrameException
                || cause instanceof CorruptedFrameException)) {
            connection.close(CloseCode.DECODE_ERROR, "Malformed or oversized WebSocket frame");
            return;
        }
        log.atDebug().setCause(cause).log("gateway connection failed");
        if (connection != null) {
            connection.close(CloseCode.UNKNOWN_ERROR, "Internal error");
        } else {
            ctx.close();
        }
    }

    /** Op 7 then 4000, from any thread. */
    public void reconnect(String reason) {
        channel.eventLoop().execute(() -> connection.reconnect(reason));
    }

    /**
     * Runs {@code action} on this connection's loop if its session belongs to {@code userId};
     * completes with whether it did. From any thread.
     */
    public CompletableFuture<Boolean> ifUser(long userId, Consumer<GatewayConnection> action) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            GatewaySession session = connection.session();
            boolean match = session != null && session.identity().userId() == userId
                    && connection.state() != GatewayConnection.State.CLOSED;
            if (match) {
                action.accept(connection);
            }
            done.complete(match);
        });
        return done;
    }

    /**
     * Drops the socket of the user's connection without a close frame, as a network failure
     * would. The session is detached first, so what is dispatched from then on waits in its replay
     * buffer for a resume.
     */
    public CompletableFuture<Boolean> abortIfUser(long userId) {
        return ifUser(userId, c -> {
            c.lost(gateway.now());
            channel.close();
        });
    }

    // ---- timers ------------------------------------------------------------------------------

    /** Makes sure a tick is scheduled no later than the connection's next deadline. */
    private void arm() {
        long deadline = connection.nextDeadline();
        if (deadline >= timerAt || deadline == Long.MAX_VALUE) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = deadline;
        long delay = Math.max(0, deadline - gateway.now());
        timer = channel.eventLoop().schedule(this::fire, delay, TimeUnit.MILLISECONDS);
    }

    private void fire() {
        timerAt = Long.MAX_VALUE;
        timer = null;
        connection.tick(gateway.now());
        arm();
    }

    // ---- ConnectionIO ------------------------------------------------------------------------

    @Override
    public void send(String frame) {
        channel.writeAndFlush(new Outbound.Control(frame));
    }

    /**
     * The closing handshake: send the close frame, keep reading until the client answers (then
     * close), or close after a grace. Closing the socket at once would reset it while the client is
     * still sending, and a reset can destroy the close frame before the client reads it.
     */
    @Override
    public void close(int code, String reason) {
        if (closeSent) {
            return;
        }
        closeSent = true;
        gateway.metrics().closed(dialect, code, "server");
        if (channel.isActive() && channel.isWritable()) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, truncate(reason))).addListener(written -> {
                if (written.isSuccess()) {
                    channel.eventLoop().schedule(() -> {
                        channel.close();
                    }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
                } else {
                    channel.close();
                }
            });
        } else {
            channel.close();
        }
    }

    @Override
    public void identify(Identify identify) {
        gateway.starter().identify(identify, connection, sink, channel.eventLoop(), encoder::compressPayloads);
    }

    @Override
    public void resume(Resume resume) {
        gateway.starter().resume(resume, connection, channel.eventLoop());
    }

    @Override
    public void request(GatewaySession session, Opcode op, JsonNode d) throws ProtocolViolation {
        gateway.requests().handle(session, this, op, d);
    }

    @Override
    public void heartbeatRoundTrip(long millis) {
        gateway.metrics().heartbeatRoundTrip(millis);
    }

    /**
     * The link's latency at each heartbeat. On epoll the kernel keeps a smoothed TCP round-trip
     * estimate for the socket (TCP_INFO), free to read; elsewhere a WebSocket ping carries the send
     * time and its pong (every WebSocket client answers pings) gives the round trip.
     */
    @Override
    public void heartbeatReceived() {
        if (channel instanceof EpollSocketChannel epoll) {
            gateway.metrics().heartbeatLatency(epoll.tcpInfo().rtt());
        } else {
            ByteBuf sent = channel.alloc().buffer(8).writeLong(System.nanoTime());
            channel.writeAndFlush(new PingWebSocketFrame(sent));
        }
    }

    /** Close reasons must fit a control frame (125 bytes with the code). */
    static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 123) {
            return reason;
        }
        String cut = new String(bytes, 0, 120, StandardCharsets.UTF_8);
        while (cut.getBytes(StandardCharsets.UTF_8).length > 120) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }

    /** The session's view of this connection; safe from any thread. */
    private final class Sink implements SessionSink {

        /** The session's writes and flushes, in its order; set in {@link #start}, before any session attaches. */
        private InOrderOnLoop inOrder;

        @Override
        public void write(long seq, String type, byte[] body) {
            gateway.metrics().dispatched(1);
            Outbound.Dispatch dispatch = new Outbound.Dispatch(seq, type, body);
            inOrder.run(() -> channel.write(dispatch));
        }

        @Override
        public void flush() {
            inOrder.run(this::flushNow);
        }

        private void flushNow() {
            channel.flush();
            if (slowReaders.dropsAtOnce(queuedBytes(), channel.isWritable())) {
                // not now: the session that flushed may still hold its lock in the middle of a replay
                channel.eventLoop().execute(() -> {
                    if (channel.isActive()) {
                        dropUnread();
                    }
                });
            }
        }

        @Override
        public void close(CloseCode code, String reason) {
            channel.eventLoop().execute(() -> connection.close(code, reason));
        }

        @Override
        public void wakeAt(long at) {
            // the session is on its home loop, which may not be this connection's
            channel.eventLoop().execute(GatewayChannelHandler.this::arm);
        }
    }
}
