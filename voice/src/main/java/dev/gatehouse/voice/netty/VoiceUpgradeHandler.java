package dev.gatehouse.voice.netty;

import dev.gatehouse.protocol.voice.VoiceCloseCode;
import dev.gatehouse.voice.VoiceServer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes WebSocket upgrades of {@code /} (and {@code /voice}) off the HTTP pipeline: clients connect
 * to {@code wss://<endpoint>/?v=N} with the bare {@code host:port} of VOICE_SERVER_UPDATE. Every
 * other request passes on to the API.
 */
public final class VoiceUpgradeHandler extends ChannelInboundHandlerAdapter {

    public static final int MIN_VERSION = 4;
    public static final int MAX_VERSION = 8;
    /** Larger frames fail in the WebSocket decoder, answered with 4002. */
    private static final int MAX_WEBSOCKET_FRAME = 64 * 1024;

    private final VoiceServer server;
    private final Consumer<ChannelPipeline> removeHttpHandlers;

    public VoiceUpgradeHandler(VoiceServer server, Consumer<ChannelPipeline> removeHttpHandlers) {
        this.server = server;
        this.removeHttpHandlers = removeHttpHandlers;
    }

    static boolean isVoicePath(String path) {
        return path.equals("/") || path.isEmpty() || path.equals("/voice") || path.equals("/voice/");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req && req.method().equals(HttpMethod.GET)
                && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            QueryStringDecoder query = new QueryStringDecoder(req.uri());
            if (isVoicePath(query.path())) {
                try {
                    upgrade(ctx, req, query);
                } finally {
                    req.release();
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder query) {
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_WEBSOCKET_FRAME)
                .allowExtensions(false).closeOnProtocolViolation(false).build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("/", null, decoder).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        List<String> v = query.parameters().get("v");
        int version = -1;
        try {
            version = v == null || v.isEmpty() ? MIN_VERSION : Integer.parseInt(v.get(0));
        } catch (NumberFormatException e) {
            version = -1;
        }
        int asked = version;
        VoiceChannelHandler handler = new VoiceChannelHandler(server, version);
        ChannelPipeline pipeline = ctx.pipeline();
        handshaker.handshake(ctx.channel(), req).addListener(done -> {
            if (!done.isSuccess()) {
                ctx.close();
                return;
            }
            removeHttpHandlers.accept(pipeline);
            pipeline.addBefore(ctx.name(), "voice-ws-aggregator", new WebSocketFrameAggregator(MAX_WEBSOCKET_FRAME));
            pipeline.replace(ctx.name(), "voice", handler);
            ChannelHandlerContext voiceCtx = pipeline.context(handler);
            if (asked < MIN_VERSION || asked > MAX_VERSION) {
                handler.refuse(voiceCtx, VoiceCloseCode.BAD_REQUEST,
                        "Unsupported voice gateway version " + (v == null ? "" : v.get(0)) + " (4 to 8)");
            } else {
                handler.start(voiceCtx);
            }
        });
    }
}
