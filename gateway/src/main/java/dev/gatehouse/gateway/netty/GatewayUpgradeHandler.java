package dev.gatehouse.gateway.netty;

import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.compress.Compression;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Encoding;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sits in the HTTP pipeline before the API handler and takes over WebSocket upgrades of
 * {@code /gateway}: it checks {@code v}, {@code encoding} and {@code compress}, performs the
 * handshake and turns the channel into a gateway connection. Every other request passes on.
 */
public final class GatewayUpgradeHandler extends ChannelInboundHandlerAdapter {

    public static final String PATH = "/gateway";
    /** Larger frames fail in the WebSocket decoder; the session core enforces the configured limit, at most this. */
    private static final int MAX_WEBSOCKET_FRAME = GatewayConfig.FRAME_BYTES_CEILING;

    private final Gateway gateway;
    private final Consumer<ChannelPipeline> removeHttpHandlers;

    /** @param removeHttpHandlers takes the HTTP-only handlers out once a channel is a WebSocket */
    public GatewayUpgradeHandler(Gateway gateway, Consumer<ChannelPipeline> removeHttpHandlers) {
        this.gateway = gateway;
        this.removeHttpHandlers = removeHttpHandlers;
    }

    /** {@code /gateway}, or {@code /gateway/}: libraries that append {@code /?v=10} to the URL make the latter. */
    static boolean isGatewayPath(String path) {
        return path.equals(PATH) || path.equals(PATH + "/");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req && req.method().equals(HttpMethod.GET)
                && isGatewayPath(new QueryStringDecoder(req.uri()).path())) {
            try {
                if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                    upgrade(ctx, req);
                } else {
                    describe(ctx, req);
                }
            } finally {
                req.release();
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** A plain GET of the gateway's path answers where to connect, as {@code GET /api/v10/gateway} does. */
    private void describe(ChannelHandlerContext ctx, FullHttpRequest req) {
        byte[] body = Json.bytes(Map.of("url", gateway.url()));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(req));
        ctx.writeAndFlush(response);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        // a frame the decoder refuses is the gateway's to answer (4002), not Netty's own close (1009, 1002)
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_WEBSOCKET_FRAME)
                .allowExtensions(false).closeOnProtocolViolation(false).build();
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(gateway.url(), null, decoder);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        GatewayQuery query = GatewayQuery.parse(new QueryStringDecoder(req.uri()).parameters());
        GatewayEncoder encoder = new GatewayEncoder(gateway.metrics(), query.encoding(), query.compression(),
                gateway.config().compression());
        GatewayChannelHandler handler = new GatewayChannelHandler(gateway, query.dialect(), query.encoding(), encoder);
        ChannelPipeline pipeline = ctx.pipeline();
        handshaker.handshake(ctx.channel(), req).addListener(done -> {
            if (!done.isSuccess()) {
                ctx.close();
                return;
            }
            removeHttpHandlers.accept(pipeline);
            pipeline.addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_WEBSOCKET_FRAME));
            pipeline.addBefore(ctx.name(), "gateway-encoder", encoder);
            pipeline.replace(ctx.name(), "gateway", handler);
            ChannelHandlerContext gatewayCtx = pipeline.context(handler);
            if (query.refusal() != null) {
                handler.refuse(gatewayCtx, query.refusal(), query.reason());
            } else {
                handler.start(gatewayCtx);
            }
        });
    }

    /** What the URL asked for, or why it cannot be served. */
    record GatewayQuery(Dialect dialect, Encoding encoding, Compression compression, CloseCode refusal, String reason) {

        static GatewayQuery parse(java.util.Map<String, List<String>> params) {
            String v = first(params, "v");
            Dialect dialect = null;
            try {
                dialect = v == null ? null : Dialect.ofVersion(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                dialect = null;
            }
            if (dialect == null) {
                return new GatewayQuery(null, Encoding.JSON, Compression.NONE, CloseCode.INVALID_API_VERSION,
                        "Invalid API version: " + (v == null ? "missing v" : "v=" + v) + " (use v=1, v=9 or v=10)");
            }
            String encodingName = first(params, "encoding");
            Encoding encoding = Encoding.ofQuery(encodingName).orElse(null);
            if (encoding == null) {
                return new GatewayQuery(dialect, Encoding.JSON, Compression.NONE, CloseCode.DECODE_ERROR,
                        "Unsupported encoding: " + encodingName);
            }
            String compress = first(params, "compress");
            Compression compression = Compression.ofQuery(compress).orElse(null);
            // fluxer streams zstd only (docs/PROTOCOL.md §1)
            if (compression == null || (dialect == Dialect.FLUXER && compression == Compression.ZLIB_STREAM)) {
                return new GatewayQuery(dialect, encoding, Compression.NONE, CloseCode.DECODE_ERROR,
                        "Unsupported compression: " + compress);
            }
            return new GatewayQuery(dialect, encoding, compression, null, null);
        }

        private static String first(java.util.Map<String, List<String>> params, String name) {
            List<String> values = params.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }
}
