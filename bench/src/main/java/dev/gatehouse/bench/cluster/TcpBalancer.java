package dev.gatehouse.bench.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load balancer of the cluster benchmark: a TCP balancer on 127.0.0.1 that hands each new
 * connection to the next node in turn, and to the one after when a node refuses it (stopped or
 * draining), as a TCP or HTTP load balancer in front of a cluster does. Bytes are piped both ways
 * unchanged, with backpressure (a side is read only while the other can take it). Several of them
 * can listen on one port (SO_REUSEPORT), for more connections than one process may have files.
 *
 * <pre>java -cp gatehouse-bench.jar dev.gatehouse.bench.cluster.TcpBalancer PORT HOST:PORT [HOST:PORT ...]</pre>
 */
public final class TcpBalancer {

    private final List<InetSocketAddress> backends;
    private final AtomicInteger next = new AtomicInteger();
    /** A connection and its backend share one loop; two loops, so the balancer is not the one core a storm waits on. */
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());

    private TcpBalancer(List<InetSocketAddress> backends) {
        this.backends = backends;
    }

    public static void main(String[] args) throws InterruptedException {
        List<InetSocketAddress> backends = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] hostPort = args[i].split(":");
            backends.add(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
        }
        new TcpBalancer(backends).listen(Integer.parseInt(args[0])).closeFuture().sync();
    }

    private Channel listen(int port) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 8192)
                // several balancer processes share the port, the kernel spreading connections over
                // them: each connection costs a balancer two files, and one process may open 20,000
                .option(EpollChannelOption.SO_REUSEPORT, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        connect(client, next.getAndIncrement(), 0);
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
    }

    /** Connects the client to a backend, trying the next ones when it refuses; closes the client when all do. */
    private void connect(SocketChannel client, int start, int tried) {
        if (tried >= backends.size()) {
            client.close();
            return;
        }
        InetSocketAddress backend = backends.get(Math.floorMod(start + tried, backends.size()));
        new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.AUTO_READ, false)
                .handler(new Pipe(client))
                .connect(backend).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        connect(client, start, tried + 1);
                        return;
                    }
                    client.pipeline().addLast(new Pipe(f.channel()));
                    client.read();
                    f.channel().read();
                });
    }

    /** Writes what one side reads to the other side; reads again once the write went out. */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel other;

        Pipe(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            other.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    ctx.channel().read();
                } else {
                    ctx.close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
