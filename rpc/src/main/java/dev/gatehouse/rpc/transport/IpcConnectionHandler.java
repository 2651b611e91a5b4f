package dev.gatehouse.rpc.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One program on the IPC socket: HANDSHAKE {@code {v, client_id}} starts the connection, FRAME
 * carries its messages, PING is answered with PONG and the same body, CLOSE ends it. What the
 * agent closes goes out as a CLOSE frame {@code {code, message}} before the socket closes, so
 * libraries that read the code see it.
 */
final class IpcConnectionHandler extends ChannelInboundHandlerAdapter {

    private final RpcHub hub;
    private RpcConnection connection;

    IpcConnectionHandler(RpcHub hub) {
        this.hub = hub;
    }

    /** A program that connects and says nothing is closed after the limits' handshake time, with 4000. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = hub.open(RpcConnection.Transport.IPC, new Peer(ctx));
        long wait = connection.limits().handshakeMillis();
        ctx.executor().schedule(() -> {
            if (!connection.handshakeReceived()) {
                connection.close(RpcCloseCode.INVALID_CLIENT_ID, "No handshake within " + wait + " ms");
            }
        }, wait, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof IpcFrameCodec.Fault fault) {
            connection.close(fault == IpcFrameCodec.Fault.TOO_LARGE ? RpcCloseCode.MESSAGE_TOO_BIG : RpcCloseCode.UNSUPPORTED_DATA,
                    fault == IpcFrameCodec.Fault.TOO_LARGE ? "Frames are at most " + IpcOp.MAX_FRAME_BYTES + " bytes" : "Unknown opcode");
            return;
        }
        IpcFrame frame = (IpcFrame) msg;
        switch (frame.op()) {
            case HANDSHAKE -> handshake(frame.json());
            case FRAME -> connection.receive(frame.json());
            case PING -> {
                if (connection.ping()) {
                    ctx.writeAndFlush(new IpcFrame(IpcOp.PONG, frame.json()));
                }
            }
            case PONG -> { }
            case CLOSE -> {
                connection.transportClosed();
                ctx.close();
            }
        }
    }

    private void handshake(String json) {
        JsonNode h;
        try {
            h = Json.mapper().readTree(json);
        } catch (IOException e) {
            h = null;
        }
        if (h == null || !h.isObject()) {
            connection.handshake(null, null, null, null);
            return;
        }
        JsonNode v = h.get("v");
        JsonNode clientId = h.get("client_id");
        connection.handshake(v == null || v.isNull() ? null : v.asText(), clientId == null || !clientId.isTextual() ? null : clientId.textValue(),
                null, null);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.transportClosed();
        hub.forget(connection);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private record Peer(ChannelHandlerContext ctx) implements RpcPeer {
        @Override
        public void send(ObjectNode message) {
            ctx.writeAndFlush(new IpcFrame(IpcOp.FRAME, Json.string(message)));
        }

        @Override
        public void close(RpcCloseCode code, String reason) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("code", code.code());
            body.put("message", reason);
            ctx.writeAndFlush(new IpcFrame(IpcOp.CLOSE, Json.string(body))).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
