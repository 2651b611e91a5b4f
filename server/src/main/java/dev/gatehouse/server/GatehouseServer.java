package dev.gatehouse.server;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.event.EventLogPoller;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.rest.http.ApiDispatcher;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;
import dev.gatehouse.rest.netty.BoundedAggregator;
import dev.gatehouse.rest.netty.HttpApiHandler;
import dev.gatehouse.rest.ratelimit.BucketRateLimits;
import dev.gatehouse.rest.ratelimit.RateLimitConfig;
import dev.gatehouse.rest.ratelimit.RateLimits;
import dev.gatehouse.rest.routes.ApiRoutes;
import dev.gatehouse.rest.routes.GatewayInfo;
import dev.gatehouse.server.metrics.HealthCheck;
import dev.gatehouse.server.metrics.HttpMetrics;
import dev.gatehouse.server.metrics.RouteNames;
import dev.gatehouse.server.tls.ServerTls;
import dev.gatehouse.store.JdbcStore;
import dev.gatehouse.voice.VoiceServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Gatehouse node serving: the {@link Node} (store, bus, platform services), one Netty server
 * for the HTTP API, the gateway WebSocket and the voice gateway WebSocket, {@code /healthz} and
 * {@code /metrics}, the same again over TLS on a second port when configured, and the voice media
 * relay on UDP. {@link #start} binds, {@link #close} drains in-flight requests and shuts everything
 * down in reverse order.
 */
public final class GatehouseServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatehouseServer.class);

    /** How long {@link #close} waits for requests in flight. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #close} waits for the first request of a connection just accepted. */
    private static final Duration FIRST_REQUEST_GRACE = Duration.ofSeconds(1);
    /** How long {@link #close} waits for gateway connections to close after op 7. */
    private static final Duration GATEWAY_DRAIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration HEALTH_BUDGET = Duration.ofSeconds(2);
    /** How soon another process's events reach this node's sessions without a cluster bus. */
    private static final Duration EVENT_LOG_POLL = Duration.ofMillis(250);
    /** In a cluster the bus brings them; the log is read this often for what it lost. */
    private static final Duration EVENT_LOG_POLL_CLUSTERED = Duration.ofSeconds(1);
    /** How long the event log keeps an event: longer than any node may lag behind it. */
    private static final Duration EVENT_LOG_RETENTION = Duration.ofHours(1);
    private static final Set<String> SYSTEM_PATHS = Set.of("/healthz", "/metrics");

    private final ServerConfig config;
    private final Node node;
    private final JdbcStore store;
    private final LocalEventBus bus;
    /** Null for a node on its own. */
    private final ClusterMembership cluster;
    private final Platform platform;
    private final PrometheusMeterRegistry metrics;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-", 0).factory());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final HttpConnections connections = new HttpConnections();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HealthCheck healthCheck;
    /** What other processes (admin commands, other nodes) commit reaches this node's sessions through the log. */
    private final EventLogPoller logPoller;
    private final Gateway gateway;
    private final VoiceServer voice;
    private EventLoopGroup group;
    private Channel serverChannel;
    private Channel tlsChannel;
    private ServerTls tls;
    private int boundPort;
    private int boundTlsPort;

    private GatehouseServer(ServerConfig config, Node node, ClusterMembership cluster) throws IOException {
        this.config = config;
        this.node = node;
        this.cluster = cluster;
        this.store = node.store();
        this.bus = node.bus();
        this.platform = node.platform();
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.healthCheck = new HealthCheck(store, workers, HEALTH_BUDGET, cluster == null ? null : new HealthCheck.Cluster(
                cluster.config().nodeName(), cluster::busConnected, cluster::leaseHolds));
        this.gateway = cluster == null ? new Gateway(platform, config.gateway(), metrics, this::gatewayUrl)
                : new Gateway(platform, config.gateway(), metrics, this::gatewayUrl, cluster.limits(),
                        cluster.sessionHandoffs(config.gateway().resumeWindowMs()));
        if (cluster != null) {
            cluster.startRelay(bus, metrics);
            cluster.answerReleases((sessionId, userId) -> gateway.release(sessionId, userId)
                    .thenApply(state -> state == null ? null : state.toJson()));
        }
        this.logPoller = new EventLogPoller(store, bus, platform.context().clock(), EVENT_LOG_RETENTION)
                .start(cluster == null ? EVENT_LOG_POLL : EVENT_LOG_POLL_CLUSTERED);
        this.voice = config.voice().enabled() && role().servesGateway() ? new VoiceServer(platform.voice(), config.voice().config(),
                new VoiceServer.Udp(config.host(), config.voice().udpPort(), voiceAddress()), platform.context().clock(),
                metrics) : null;
        bindMeters();
    }

    private void bindMeters() {
        new JvmMemoryMetrics().bindTo(metrics);
        gcMetrics.bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new JvmInfoMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        new FileDescriptorMetrics().bindTo(metrics);
        store.reportPoolMetrics(metrics);
        metrics.gauge("gatehouse.http.requests.in.flight", inFlight);
        metrics.gauge("gatehouse.http.connections", connections, HttpConnections::open);
        FunctionCounter.builder("gatehouse.events.read.back", bus, LocalEventBus::readBack)
                .description("Events read back from the event log: what neither this node's commits nor the bus brought in order")
                .register(metrics);
        FunctionCounter.builder("gatehouse.events.duplicates", bus, LocalEventBus::duplicates)
                .description("Events that came again and were dropped").register(metrics);
        FunctionCounter.builder("gatehouse.events.lost", bus, LocalEventBus::lost)
                .description("Events the log no longer held when this node needed them").register(metrics);
        metrics.gauge("gatehouse.events.streams.followed", bus.streams(), s -> s.size());
    }

    /** Lets every HTTP request already received finish (within the drain timeout); how many were abandoned. */
    private int drainHttp(long started) {
        try {
            int abandoned = connections.drain(FIRST_REQUEST_GRACE, DRAIN_TIMEOUT);
            // a route still running for a client that went away owes nobody an answer, but
            // it may be mid-transaction: give it the rest of the time before the pool closes
            while (inFlight.get() > 0 && System.nanoTime() - started < DRAIN_TIMEOUT.toNanos()) {
                Thread.sleep(5);
            }
            return abandoned;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** What this node serves: everything, unless it is a cluster node with a role. */
    private ClusterConfig.Role role() {
        return cluster == null ? ClusterConfig.Role.ALL : cluster.config().role();
    }

    /** Opens the database (migrating it) and binds the port. */
    public static GatehouseServer start(ServerConfig config) throws InterruptedException {
        return start(config, Clock.systemUTC());
    }

    public static GatehouseServer start(ServerConfig config, Clock clock) throws InterruptedException {
        ClusterMembership cluster = null;
        Snowflakes ids;
        if (config.cluster() != null) {
            try {
                cluster = ClusterMembership.join(config.cluster());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ids = new Snowflakes(clock, cluster.worker(), cluster.process(), cluster::leaseHolds);
        } else {
            // snowflake process 0 is the server's; admin commands take another (see AdminCommand)
            ids = new Snowflakes(clock, config.worker(), 0);
        }
        Node node;
        GatehouseServer server;
        try {
            node = Node.open(config.database(), clock, ids, config.limits());
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
        try {
            server = new GatehouseServer(config, node, cluster);
        } catch (IOException | RuntimeException e) {
            node.close();
            if (cluster != null) {
                cluster.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
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
        // a node without a gateway of its own points clients to a live one
        GatewayInfo gatewayInfo = role().servesGateway()
                ? new GatewayInfo(this::gatewayUrl, config.tls() == null ? null : this::secureGatewayUrl)
                : new GatewayInfo(cluster::liveGatewayUrl, null);
        RouteTable routes = role().servesApi() ? ApiRoutes.build(platform, gatewayInfo) : new RouteTable();
        ApiDispatcher dispatcher = new ApiDispatcher(routes, platform::authenticateRequest, !config.rateLimits() ? RateLimits.none()
                : cluster == null ? new BucketRateLimits(RateLimitConfig.defaults(), platform.context().clock())
                : new BucketRateLimits(RateLimitConfig.defaults(), platform.context().clock(), cluster.limits()));
        dispatcher.system("/healthz", this::health);
        dispatcher.system("/metrics", () -> ApiResponse.raw(200, metrics.scrape().getBytes(StandardCharsets.UTF_8),
                "text/plain; version=0.0.4; charset=utf-8"));
        // request metrics name each request by the template of the route the dispatcher will take
        HttpMetrics httpMetrics = new HttpMetrics(metrics, new RouteNames(routes, SYSTEM_PATHS));
        if (voice != null) {
            voice.start(group);
        }
        serverChannel = listen(config.port(), null, dispatcher, httpMetrics, epoll);
        boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        if (config.tls() != null) {
            try {
                tls = ServerTls.load(config.tls(), List.of(localHost(), publicHost()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tlsChannel = listen(config.tls().port(), tls, dispatcher, httpMetrics, epoll);
            boundTlsPort = ((InetSocketAddress) tlsChannel.localAddress()).getPort();
        }
        if (voice != null) {
            platform.voice().serveAt(voiceEndpoint());
        }
        if (cluster != null) {
            cluster.announce(role().servesApi() ? baseUrl() : null, role().servesGateway() ? gatewayUrl() : null);
        }
        log.atInfo().addKeyValue("port", boundPort).addKeyValue("tls_port", boundTlsPort)
                .addKeyValue("voice_udp_port", voice == null ? 0 : voice.udpPort())
                .addKeyValue("transport", epoll ? "epoll" : "nio").log("gatehouse listening");
    }

    /** One listener: the HTTP pipeline, behind TLS when {@code secure} is given. */
    private Channel listen(int port, ServerTls secure, ApiDispatcher dispatcher, HttpMetrics httpMetrics, boolean epoll)
            throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (secure != null) {
                            p.addLast(secure.context().newHandler(ch.alloc()));
                        }
                        p.addLast(new HttpServerCodec())
                                .addLast(HTTP_CONNECTIONS, connections.handler())
                                .addLast(HTTP_METRICS, httpMetrics.handler())
                                .addLast(HTTP_KEEP_ALIVE, new HttpServerKeepAliveHandler())
                                .addLast(new BoundedAggregator(config.maxBodyBytes()));
                        if (voice != null) {
                            p.addLast(voice.upgradeHandler(GatehouseServer::removeHttpHandlers));
                        }
                        if (role().servesGateway()) {
                            p.addLast(gateway.upgradeHandler(GatehouseServer::removeHttpHandlers));
                        }
                        p.addLast(HTTP_API, new HttpApiHandler(dispatcher, workers, inFlight));
                    }
                });
        return bootstrap.bind(config.host(), port).sync().channel();
    }

    private static final String HTTP_CONNECTIONS = "http-connections";
    private static final String HTTP_METRICS = "http-metrics";
    private static final String HTTP_KEEP_ALIVE = "http-keep-alive";
    private static final String HTTP_API = "http-api";

    /**
     * What a channel upgraded to a gateway WebSocket no longer needs; they have seen the 101 (the
     * tracker stops counting the connection, the metrics record the upgrade) and would otherwise
     * sit in the path of every frame.
     */
    private static void removeHttpHandlers(ChannelPipeline pipeline) {
        for (String name : new String[] {HTTP_CONNECTIONS, HTTP_METRICS, HTTP_KEEP_ALIVE, HTTP_API}) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    private ApiResponse health() {
        HealthCheck.Result result = healthCheck.check();
        return ApiResponse.json(result.healthy() ? 200 : 503, result.body());
    }

    /** The base URL clients use; the configured public URL or this node's address. */
    public String baseUrl() {
        if (config.publicUrl() != null) {
            return config.publicUrl();
        }
        return "http://" + localHost() + ":" + (boundPort == 0 ? config.port() : boundPort);
    }

    /** The HTTPS base URL, or null without TLS. */
    public String secureBaseUrl() {
        if (config.tls() == null) {
            return null;
        }
        if (config.publicUrl() != null && config.publicUrl().startsWith("https:")) {
            return config.publicUrl();
        }
        return "https://" + localHost() + ":" + (boundTlsPort == 0 ? config.tls().port() : boundTlsPort);
    }

    private String localHost() {
        return config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
    }

    private String gatewayUrl() {
        return baseUrl().replaceFirst("^http", "ws") + "/gateway";
    }

    private String secureGatewayUrl() {
        return secureBaseUrl().replaceFirst("^https", "wss") + "/gateway";
    }

    /**
     * The name clients reach this node by: the voice settings' host, the public URL's, the bound
     * host, or {@code localhost} for a wildcard or loopback bind (a name, not an address: some
     * voice libraries cannot take an IP literal as an endpoint).
     */
    private String publicHost() {
        if (config.voice().publicHost() != null) {
            return config.voice().publicHost();
        }
        if (config.publicUrl() != null) {
            String host = URI.create(config.publicUrl()).getHost();
            if (host != null) {
                return host;
            }
        }
        String host = config.host();
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("127.0.0.1") ? "localhost" : host;
    }

    /** VOICE_SERVER_UPDATE's endpoint: {@code host:port} of the TLS listener when there is one (clients force wss). */
    public String voiceEndpoint() {
        return publicHost() + ":" + (tlsChannel != null ? boundTlsPort : boundPort);
    }

    /** The relay's address for Ready: an IPv4 literal, which voice clients need for IP discovery. */
    private String voiceAddress() {
        String host = publicHost();
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (a instanceof Inet4Address) {
                    return a.getHostAddress();
                }
            }
            return all[0].getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("voice host " + host + " does not resolve", e);
        }
    }

    /** The TLS certificate in use, or null without TLS. */
    public ServerTls tls() {
        return tls;
    }

    public int tlsPort() {
        return boundTlsPort;
    }

    /** The voice server, or null when this node serves no voice. */
    public VoiceServer voice() {
        return voice;
    }

    public int port() {
        return boundPort;
    }

    public Platform platform() {
        return platform;
    }

    public LocalEventBus bus() {
        return bus;
    }

    public JdbcStore store() {
        return store;
    }

    public Gateway gateway() {
        return gateway;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** HTTP requests received and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** HTTP connections open now. */
    public int openConnections() {
        return connections.open();
    }

    /**
     * Stops accepting connections and drains the open ones: idle connections close at once, busy
     * ones once they have answered (with {@code Connection: close}), each within 10 s; then the
     * event loops and the database close. The launcher's shutdown hook calls this on SIGTERM and
     * SIGINT. Connections still open at the deadline are closed unanswered.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (cluster != null) {
            cluster.withdraw(); // API nodes stop pointing clients here
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (tlsChannel != null) {
            tlsChannel.close().syncUninterruptibly();
        }
        if (voice != null) {
            voice.close(); // 4015: voice clients resume, here once back or on another node
        }
        int open = connections.open();
        int busy = connections.busy();
        long started = System.nanoTime();
        long httpDrainedAt;
        int abandoned;
        if (cluster == null) {
            // gateway clients get op 7 and reconnect (to this node when it is back)
            gateway.drain(GATEWAY_DRAIN_TIMEOUT);
            abandoned = drainHttp(started);
            httpDrainedAt = System.nanoTime();
        } else {
            // the requests under way finish (their events are delivered here), then nothing new
            // comes in, then each session goes to the handoff store with exactly what it has, and
            // its client gets op 7 and resumes on another node
            abandoned = drainHttp(started);
            httpDrainedAt = System.nanoTime();
            logPoller.close();
            cluster.stopRelay();
            gateway.handOff(GATEWAY_DRAIN_TIMEOUT);
        }
        workers.shutdown();
        if (group != null) {
            // runs the writes the workers queued before it closes what is left
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        logPoller.close();
        gateway.close();
        gcMetrics.close();
        metrics.close();
        node.close();
        if (cluster != null) {
            cluster.close(); // last: the lease ends once nothing mints ids under it
        }
        log.atInfo().addKeyValue("connections", open).addKeyValue("busy", busy).addKeyValue("abandoned", abandoned)
                .addKeyValue("drain_ms", Duration.ofNanos(System.nanoTime() - started).toMillis())
                .addKeyValue("http_drained_ms", Duration.ofNanos(httpDrainedAt - started).toMillis())
                .log("gatehouse stopped");
    }
}
