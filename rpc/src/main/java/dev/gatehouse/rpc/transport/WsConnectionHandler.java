package dev.gatehouse.rpc.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.rpc.agent.RpcHub;
import dev.gatehouse.rpc.protocol.IpcOp;
import dev.gatehouse.rpc.protocol.RpcCloseCode;
import dev.gatehouse.rpc.session.RpcConnection;
import dev.gatehouse.rpc.session.RpcPeer;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * One program on the WebSocket: the handshake's query ({@code v}, {@code client_id},
 * {@code encoding}) and {@code Origin} header start the connection, each text frame is a message,
 * a binary frame closes it with 1003, a frame over 64 KiB with 1009.
 */
final class WsConnectionHandler extends ChannelInboundHandlerAdapter {

    private final RpcHub hub;
    private RpcConnection connection;

    WsConnectionHandler(RpcHub hub) {
        this.hub = hub;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
            connection = hub.open(RpcConnection.Transport.WEBSOCKET, new Peer(ctx));
            QueryStringDecoder query = new QueryStringDecoder(done.requestUri());
            connection.handshake(first(query, "v"), first(query, "client_id"), first(query, "encoding"),
                    done.requestHeaders().get(HttpHeaderNames.ORIGIN));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static String first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (connection == null || !(msg instanceof WebSocketFrame)) {
                return;
            }
            if (msg instanceof TextWebSocketFrame text) {
                connection.receive(text.text());
            } else if (msg instanceof BinaryWebSocketFrame) {
                connection.close(RpcCloseCode.UNSUPPORTED_DATA, "Only JSON text frames are spoken here");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.transportClosed();
            hub.forget(connection);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connection != null && (cause instanceof TooLongFrameException || cause instanceof CorruptedWebSocketFrameException)) {
            connection.close(RpcCloseCode.MESSAGE_TOO_BIG, "Frames are at most " + IpcOp.MAX_FRAME_BYTES + " bytes");
        } else {
            ctx.close();
        }
    }

    private record Peer(ChannelHandlerContext ctx) implements RpcPeer {
        @Override
        public void send(ObjectNode message) {
            ctx.writeAndFlush(new TextWebSocketFrame(Json.string(message)));
        }

        @Override
        public void close(RpcCloseCode code, String reason) {
            ctx.writeAndFlush(new CloseWebSocketFrame(code.code(), reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
