package dev.gatehouse.bench;

import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.compress.Compression;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One load process: opens its share of gateway sessions (a process may hold at most 20,000 open
 * files here, so a run spreads over several), keeps them alive, counts deliveries. Talks to the
 * coordinator in lines: it prints IDENTIFIED n and DELIVERED n as it goes; it reads RESET (forget
 * the warm-up) and REPORT (print the stats as JSON, then exit).
 */
public final class GatewayLoadWorker {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Options.parse(args, Map.of("ws", "", "tokens", "", "sessions", "100", "compress", "none",
                "intents", "513", "version", "10", "concurrent-identifies", "64"));
        List<String> tokens = Files.readAllLines(Path.of(opts.get("tokens")));
        int sessions = Integer.parseInt(opts.get("sessions"));
        Compression compression = Compression.ofQuery(opts.get("compress").equals("none") ? null : opts.get("compress")).orElseThrow();
        long intents = Long.parseLong(opts.get("intents"));
        int window = Integer.parseInt(opts.get("concurrent-identifies"));
        String query = "?v=" + opts.get("version") + "&encoding=json" + (compression == Compression.NONE ? "" : "&compress=" + opts.get("compress"));
        URI uri = URI.create(opts.get("ws") + "/gateway" + query);

        LoadStats stats = new LoadStats();
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        List<Channel> channels = new ArrayList<>(sessions);
        Thread progress = Thread.ofPlatform().daemon().start(() -> {
            long lastDelivered = -1;
            long lastIdentified = -1;
            while (true) {
                long d = stats.deliveries.sum();
                long i = stats.identified.sum();
                if (d != lastDelivered || i != lastIdentified) {
                    System.out.println("PROGRESS " + i + " " + d);
                    lastDelivered = d;
                    lastIdentified = i;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true);
            for (int n = 0; n < sessions; n++) {
                while (n - stats.identified.sum() - stats.disconnected.sum() >= window) {
                    Thread.sleep(2);
                }
                String token = tokens.get(n % tokens.size());
                WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                        .version(WebSocketVersion.V13).customHeaders(new DefaultHttpHeaders())
                        .maxFramePayloadLength(16 << 20).handshakeTimeoutMillis(60_000).build();
                channels.add(bootstrap.handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(16 << 20),
                                new LoadConnection(token, intents, compression, stats));
                    }
                }).connect(uri.getHost(), uri.getPort()).sync().channel());
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (stats.identified.sum() + stats.disconnected.sum() < sessions && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            System.out.println("IDENTIFIED " + stats.identified.sum());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("RESET")) {
                    stats.latency.getIntervalHistogram();
                    stats.deliveries.reset();
                    stats.firstDelivery.set(Long.MAX_VALUE);
                    stats.lastDelivery.set(0);
                    System.out.println("RESET");
                } else if (line.equals("REPORT")) {
                    System.out.println("REPORT " + Json.string(report(stats)));
                    break;
                }
            }
        } finally {
            progress.interrupt();
            for (Channel c : channels) {
                c.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> report(LoadStats stats) {
        Histogram h = stats.latency.getIntervalHistogram();
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("identified", stats.identified.sum());
        r.put("disconnected", stats.disconnected.sum());
        r.put("deliveries", stats.deliveries.sum());
        r.put("first_delivery_us", stats.firstDelivery.get());
        r.put("last_delivery_us", stats.lastDelivery.get());
        r.put("wire_bytes", stats.wireBytes.sum());
        r.put("message_bytes", stats.messageBytes.sum());
        r.put("errors", stats.errors.sum());
        Map<String, Long> closes = new LinkedHashMap<>();
        stats.closes.forEach((code, count) -> closes.put(Integer.toString(code), count.sum()));
        r.put("closes", closes);
        r.put("histogram", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
        return r;
    }
}
