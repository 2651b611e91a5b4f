package dev.gatehouse.gateway.netty;

import dev.gatehouse.gateway.GatewayMetrics;
import dev.gatehouse.gateway.session.ServerFrames;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.compress.Compression;
import dev.gatehouse.protocol.compress.CompressionConfig;
import dev.gatehouse.protocol.compress.ZlibPayloadCompressor;
import dev.gatehouse.protocol.etf.Etf;
import dev.gatehouse.protocol.gateway.Encoding;
import dev.gatehouse.protocol.compress.StreamCompressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns {@link Outbound} messages into WebSocket frames on the channel's event loop, in write
 * order, which is also the order the connection's compression stream must see them in.
 * Uncompressed dispatches wrap the shared body between the session's head and tail without
 * copying it; compressed ones are one binary frame per message.
 */
final class GatewayEncoder extends MessageToMessageEncoder<Outbound> {

    /**
     * Identify {@code compress:true} is rare and its compressor keeps nothing between payloads, so
     * one per event-loop thread serves every such connection of the loop (it holds ~260 KiB of
     * native memory: one per connection would be the cost of a zlib-stream context for no gain).
     */
    private static final ThreadLocal<ZlibPayloadCompressor> PAYLOADS =
            ThreadLocal.withInitial(() -> new ZlibPayloadCompressor(CompressionConfig.DEFAULT));

    private final GatewayMetrics metrics;
    private final Encoding encoding;
    private final Compression compression;
    private final CompressionConfig config;
    private StreamCompressor stream;
    /** Identify {@code compress: true} without transport compression: every payload on its own. */
    private boolean perPayload;

    GatewayEncoder(GatewayMetrics metrics, Encoding encoding, Compression compression, CompressionConfig config) {
        super(Outbound.class);
        this.metrics = metrics;
        this.encoding = encoding;
        this.compression = compression;
        this.config = config;
    }

    /** Called on the event loop once Identify asked for it; ignored under transport compression. */
    void compressPayloads() {
        perPayload = compression == Compression.NONE;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Outbound msg, List<Object> out) {
        if (compression == Compression.NONE && !perPayload && encoding == Encoding.JSON) {
            ByteBuf content = switch (msg) {
                case Outbound.Control c -> Unpooled.wrappedBuffer(c.json().getBytes(StandardCharsets.UTF_8));
                case Outbound.Dispatch d -> Unpooled.wrappedBuffer(ServerFrames.dispatchHead(d.type(), d.seq()), d.body(),
                        ServerFrames.dispatchTail());
            };
            int size = content.readableBytes();
            metrics.bytesOut(size, size);
            out.add(new TextWebSocketFrame(content));
            return;
        }
        byte[] whole;
        if (encoding == Encoding.ETF) {
            whole = switch (msg) {
                case Outbound.Control c -> toEtf(c.json().getBytes(StandardCharsets.UTF_8));
                case Outbound.Dispatch d -> Etf.dispatch(d.type(), d.seq(), ETF_BODIES.get().termOf(d.body()));
            };
        } else {
            whole = switch (msg) {
                case Outbound.Control c -> c.json().getBytes(StandardCharsets.UTF_8);
                case Outbound.Dispatch d -> ServerFrames.dispatch(d.type(), d.seq(), d.body());
            };
        }
        byte[] compressed;
        if (compression == Compression.NONE && !perPayload) {
            metrics.bytesOut(whole.length, whole.length);
            out.add(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(whole)));
            return;
        }
        if (compression == Compression.NONE) {
            compressed = PAYLOADS.get().compress(whole);
        } else {
            if (stream == null) {
                stream = StreamCompressor.create(compression, config);
            }
            compressed = stream.compress(whole);
        }
        metrics.bytesOut(whole.length, compressed.length);
        out.add(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(compressed)));
    }

    /**
     * The ETF term of the body last converted on this thread. Fan-out writes one event to all of a
     * loop's sessions in a row, sharing one body array, so the ETF sessions among them convert it
     * once instead of once each.
     */
    private static final ThreadLocal<EtfBodies> ETF_BODIES = ThreadLocal.withInitial(EtfBodies::new);

    static final class EtfBodies {
        private byte[] lastBody;
        private byte[] lastTerm;

        byte[] termOf(byte[] body) {
            if (body != lastBody) {
                try {
                    lastTerm = Etf.encodeTerm(Json.mapper().readTree(body));
                } catch (IOException e) {
                    throw new IllegalStateException("the server wrote invalid JSON", e);
                }
                lastBody = body;
            }
            return lastTerm;
        }
    }

    private static byte[] toEtf(byte[] json) {
        try {
            return Etf.encode(Json.mapper().readTree(json));
        } catch (IOException e) {
            throw new IllegalStateException("the server wrote invalid JSON", e);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // the pipeline is torn down on close: the context's (native, for zstd) memory goes now
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }
}
