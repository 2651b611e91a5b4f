package dev.gatehouse.bench;

import dev.gatehouse.protocol.compress.Compression;
import dev.gatehouse.protocol.compress.StreamDecompressor;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One load client session: identifies on Hello, heartbeats with its last seq as the server
 * asks, and for every MESSAGE_CREATE whose content carries a send time records the latency.
 * Frames are scanned, not parsed: thousands of these share one process and one or two threads.
 */
final class LoadConnection extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final byte[] HELLO = "{\"op\":10,".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEARTBEAT_REQUEST = "{\"op\":1,".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] READY = "\"t\":\"READY\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GUILD_CREATE = "\"t\":\"GUILD_CREATE\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_CREATE = "\"t\":\"MESSAGE_CREATE\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"s\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STAMP = "bench-at-".getBytes(StandardCharsets.US_ASCII);

    private final String identify;
    private final Compression compression;
    private final LoadStats stats;
    private StreamDecompressor decompressor;
    private long seq;
    private ScheduledFuture<?> heartbeat;
    private boolean ready;

    LoadConnection(String token, long intents, Compression compression, LoadStats stats) {
        this.identify = "{\"op\":2,\"d\":{\"token\":\"" + token + "\",\"intents\":" + intents
                + ",\"properties\":{\"os\":\"linux\",\"browser\":\"gatehouse-bench\",\"device\":\"gatehouse-bench\"}}}";
        this.compression = compression;
        this.stats = stats;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        byte[] message;
        if (frame instanceof TextWebSocketFrame) {
            message = ByteBufUtil.getBytes(frame.content());
        } else if (frame instanceof BinaryWebSocketFrame) {
            if (decompressor == null) {
                decompressor = StreamDecompressor.create(compression, 64 << 20);
            }
            message = decompressor.decompress(ByteBufUtil.getBytes(frame.content())).orElse(null);
            if (message == null) {
                return; // zlib: the message continues in the next frame
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            stats.closed(close.statusCode());
            ctx.close();
            return;
        } else {
            return;
        }
        stats.bytes(frame.content().readableBytes(), message.length);
        handle(ctx, message);
    }

    private void handle(ChannelHandlerContext ctx, byte[] m) {
        long s = readSeq(m);
        if (s > 0) {
            seq = s;
        }
        if (indexOf(m, MESSAGE_CREATE, 0) >= 0) {
            int at = indexOf(m, STAMP, 0);
            if (at >= 0) {
                long sentMicros = readLong(m, at + STAMP.length);
                stats.delivered(LoadStats.nowMicros() - sentMicros);
            }
        } else if (startsWith(m, HEARTBEAT_REQUEST)) {
            sendHeartbeat(ctx);
        } else if (startsWith(m, HELLO) && heartbeat == null) {
            long interval = readLong(m, indexOf(m, "heartbeat_interval\":".getBytes(StandardCharsets.US_ASCII), 0) + 20);
            heartbeat = ctx.executor().scheduleAtFixedRate(() -> sendHeartbeat(ctx), interval / 2, interval, TimeUnit.MILLISECONDS);
            ctx.writeAndFlush(new TextWebSocketFrame(identify));
        } else if (!ready && (indexOf(m, GUILD_CREATE, 0) >= 0 || indexOf(m, READY, 0) >= 0 && indexOf(m, "\"guilds\":[]".getBytes(StandardCharsets.US_ASCII), 0) >= 0)) {
            ready = true;
            stats.identified();
            // acknowledge the start sequence at once: an idle session holds only what it has not
            // acknowledged, and real clients do so within one heartbeat interval anyway
            sendHeartbeat(ctx);
        }
    }

    private void sendHeartbeat(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new TextWebSocketFrame("{\"op\":1,\"d\":" + (seq == 0 ? "null" : Long.toString(seq)) + "}"));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (decompressor != null) {
            decompressor.close();
        }
        stats.disconnected(ready);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error(cause);
        ctx.close();
    }

    private static long readSeq(byte[] m) {
        int at = indexOf(m, SEQ, 0);
        if (at < 0) {
            return -1;
        }
        int i = at + SEQ.length;
        return m[i] >= '0' && m[i] <= '9' ? readLong(m, i) : -1;
    }

    static long readLong(byte[] m, int from) {
        long v = 0;
        for (int i = from; i < m.length && m[i] >= '0' && m[i] <= '9'; i++) {
            v = v * 10 + (m[i] - '0');
        }
        return v;
    }

    static boolean startsWith(byte[] m, byte[] prefix) {
        if (m.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (m[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] m, byte[] needle, int from) {
        outer:
        for (int i = from; i <= m.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (m[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
