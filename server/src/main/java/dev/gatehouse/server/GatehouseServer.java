package dev.gatehouse.server;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.auth.PasswordHasher;
import dev.gatehouse.core.event.EventBus;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.rest.http.ApiDispatcher;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.netty.BoundedAggregator;
import dev.gatehouse.rest.netty.HttpApiHandler;
import dev.gatehouse.rest.ratelimit.BucketRateLimits;
import dev.gatehouse.rest.ratelimit.RateLimitConfig;
import dev.gatehouse.rest.ratelimit.RateLimits;
import dev.gatehouse.rest.routes.ApiRoutes;
import dev.gatehouse.rest.routes.GatewayInfo;
import dev.gatehouse.store.JdbcStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Gatehouse node: the store, the bus, the platform services and one Netty server for the HTTP
 * API (and, with the gateway, its WebSocket). {@link #start} binds, {@link #close} drains in-flight
 * requests and shuts everything down in reverse order.
 */
public final class GatehouseServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatehouseServer.class);

    private final ServerConfig config;
    private final JdbcStore store;
    private final EventBus bus;
    private final Platform platform;
    private final PrometheusMeterRegistry metrics;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-", 0).factory());
    private final AtomicInteger inFlight = new AtomicInteger();
    private EventLoopGroup group;
    private Channel serverChannel;
    private int boundPort;

    private GatehouseServer(ServerConfig config, JdbcStore store, EventBus bus, Clock clock) {
        this.config = config;
        this.store = store;
        this.bus = bus;
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.platform = new Platform(new Platform.Context(store, bus, clock, new Snowflakes(clock, config.worker(), 0),
                new PasswordHasher(), config.limits()));
    }

    /** Opens the database (migrating it) and binds the port. */
    public static GatehouseServer start(ServerConfig config) throws InterruptedException {
        return start(config, Clock.systemUTC());
    }

    public static GatehouseServer start(ServerConfig config, Clock clock) throws InterruptedException {
        JdbcStore store = JdbcStore.open(config.database());
        GatehouseServer server = new GatehouseServer(config, store, new LocalEventBus(), clock);
        try {
            server.bind();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(0, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ApiDispatcher dispatcher = new ApiDispatcher(ApiRoutes.build(platform, new GatewayInfo(this::gatewayUrl)),
                platform.tokens(), config.rateLimits()
                        ? new BucketRateLimits(RateLimitConfig.defaults(), platform.context().clock()) : RateLimits.none());
        dispatcher.system("/healthz", this::health);
        dispatcher.system("/metrics", () -> ApiResponse.raw(200, metrics.scrape().getBytes(StandardCharsets.UTF_8),
                "text/plain; version=0.0.4; charset=utf-8"));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new BoundedAggregator(config.maxBodyBytes()))
                                .addLast(new HttpApiHandler(dispatcher, workers, inFlight));
                    }
                });
        serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
        boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        log.atInfo().addKeyValue("port", boundPort).addKeyValue("transport", epoll ? "epoll" : "nio")
                .log("gatehouse listening");
    }

    private ApiResponse health() {
        boolean db = store.isHealthy();
        return ApiResponse.json(db ? 200 : 503, Map.of("status", db ? "ok" : "unavailable", "database", db ? "up" : "down"));
    }

    /** The base URL clients use; the configured public URL or this node's address. */
    public String baseUrl() {
        if (config.publicUrl() != null) {
            return config.publicUrl();
        }
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        return "http://" + host + ":" + (boundPort == 0 ? config.port() : boundPort);
    }

    private String gatewayUrl() {
        return baseUrl().replaceFirst("^http", "ws") + "/gateway";
    }

    public int port() {
        return boundPort;
    }

    public Platform platform() {
        return platform;
    }

    public EventBus bus() {
        return bus;
    }

    public JdbcStore store() {
        return store;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** Stops accepting, waits up to 10 s for requests in flight, then closes the loops and the database. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.shutdown();
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
        store.close();
        log.info("gatehouse stopped");
    }
}
