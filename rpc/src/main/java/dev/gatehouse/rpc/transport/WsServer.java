package dev.gatehouse.rpc.transport;

import dev.gatehouse.rpc.agent.RpcHub;
import dev.gatehouse.rpc.protocol.IpcOp;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket transport on {@code 127.0.0.1}, the first free port of ten from the base (6463 to
 * 6472, where programs look): {@code ws://127.0.0.1:6463/?v=1&client_id=...&encoding=json}. Plain
 * HTTP requests get 404 (Discord's clients find the port that way), except {@code /metrics}.
 */
public final class WsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WsServer.class);
    public static final int DEFAULT_BASE_PORT = 6463;
    static final int PORTS = 10;

    private final Channel channel;
    private final int port;

    private WsServer(Channel channel, int port) {
        this.channel = channel;
        this.port = port;
    }

    /** @param basePort the first port to try (0: any free port, for tests) */
    public static WsServer bind(String host, int basePort, EventLoopGroup group, RpcHub hub, Supplier<String> metrics)
            throws IOException, InterruptedException {
        int tries = basePort == 0 ? 1 : PORTS;
        for (int i = 0; i < tries; i++) {
            int port = basePort == 0 ? 0 : basePort + i;
            try {
                Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel c) {
                                c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8 * 1024),
                                        new PlainHttpHandler(metrics),
                                        new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                                .websocketPath("/").checkStartsWith(true)
                                                .maxFramePayloadLength(IpcOp.MAX_FRAME_BYTES)
                                                .handleCloseFrames(true).dropPongFrames(true).build()),
                                        new WebSocketFrameAggregator(IpcOp.MAX_FRAME_BYTES),
                                        new WsConnectionHandler(hub));
                            }
                        })
                        .bind(new InetSocketAddress(host, port)).sync().channel();
                int bound = ((InetSocketAddress) ch.localAddress()).getPort();
                log.atInfo().addKeyValue("port", bound).log("rpc websocket listening");
                return new WsServer(ch, bound);
            } catch (Exception e) {
                if (e instanceof InterruptedException ie) {
                    throw ie;
                }
                log.atDebug().setCause(e).addKeyValue("port", port).log("rpc port taken");
            }
        }
        throw new IOException("ports " + basePort + " to " + (basePort + PORTS - 1) + " are all in use");
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
