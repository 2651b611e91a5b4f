package dev.gatehouse.server;

import dev.gatehouse.cluster.NatsEventRelay;
import dev.gatehouse.cluster.NodeDirectory;
import dev.gatehouse.cluster.RedisWindowCounter;
import dev.gatehouse.cluster.SessionStore;
import dev.gatehouse.cluster.WorkerLease;
import dev.gatehouse.core.error.Unavailable;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.core.limit.FallbackWindowCounters;
import dev.gatehouse.core.limit.LocalWindowCounters;
import dev.gatehouse.core.limit.WindowCounters;
import dev.gatehouse.gateway.hub.SessionHandoffs;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import redis.clients.jedis.RedisClient;

/**
 * A node's part in a cluster ({@code docs/ARCHITECTURE.md}, "Cluster"): its NATS connection, the
 * worker id it leased (taken before the node mints its first snowflake), the relay that carries
 * its events to the other nodes and theirs to it, and its announcement in the node directory
 * (made once it listens, withdrawn first when it stops).
 */
final class ClusterMembership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);
    /** The most counters the local fallback holds per node. */
    private static final int LOCAL_LIMIT_KEYS = 500_000;
    /** Where a node answers for its live sessions: {@code <subject><worker id>}. */
    private static final String RELEASE_SUBJECT = "gatehouse.sessions.release.";
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(3);

    private final ClusterConfig config;
    private final Connection nats;
    private final WorkerLease lease;
    private final NodeDirectory directory;
    private final WindowCounters limits;
    private NatsEventRelay relay;
    private Dispatcher releases;
    private NodeDirectory.Announcement announcement;

    private ClusterMembership(ClusterConfig config, Connection nats, WorkerLease lease) {
        this.config = config;
        this.nats = nats;
        this.lease = lease;
        this.directory = new NodeDirectory(nats, NodeDirectory.Settings.DEFAULT);
        WindowCounters local = new LocalWindowCounters(LOCAL_LIMIT_KEYS, 60_000);
        this.limits = config.redisUrl() == null ? local : new FallbackWindowCounters(new RedisWindowCounter(
                RedisClient.create(URI.create(config.redisUrl())), "gatehouse:" + config.clusterName() + ":limits:", System::currentTimeMillis), local);
    }

    /**
     * Where this node counts its limits (HTTP rate limits, identify concurrency): the cluster's
     * Redis, falling back to the node's own counters while Redis does not answer; the node's own
     * without {@code --redis}.
     */
    WindowCounters limits() {
        return limits;
    }

    /** Connects to NATS and leases a worker id; fails (and the node does not start) when either cannot be had. */
    static ClusterMembership join(ClusterConfig config) throws IOException, InterruptedException {
        Options options = new Options.Builder().server(config.natsUrl()).connectionName(config.nodeName())
                // a node never needs its own publications back: it delivered its events already
                .noEcho()
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).connectionTimeout(Duration.ofSeconds(5))
                // a connection that stopped answering is dropped and made again within seconds, well
                // before the worker-id lease (renewed every few seconds) could lapse
                .pingInterval(Duration.ofSeconds(5)).maxPingsOut(2)
                // a drain publishes and stores thousands of sessions at once
                .maxMessagesInOutgoingQueue(100_000)
                .connectionListener((connection, event) -> log.atLevel(event == ConnectionListener.Events.DISCONNECTED
                        ? Level.WARN : Level.INFO).log("NATS connection " + event.name().toLowerCase(Locale.ROOT)))
                .build();
        Connection nats = Nats.connect(options);
        try {
            WorkerLease lease = WorkerLease.acquire(nats, config.nodeName(), WorkerLease.Settings.DEFAULT,
                    () -> log.atError().addKeyValue("node", config.nodeName())
                            .log("worker id lease lost: this node refuses whatever needs a new id (502) until it has the lease back"));
            return new ClusterMembership(config, nats, lease);
        } catch (JetStreamApiException | RuntimeException e) {
            nats.close();
            throw new IOException("could not lease a worker id from " + config.natsUrl() + ": " + e.getMessage(), e);
        }
    }

    ClusterConfig config() {
        return config;
    }

    int worker() {
        return lease.worker();
    }

    int process() {
        return lease.process();
    }

    /** Whether this node may mint ids under its worker id now. */
    boolean leaseHolds() {
        return lease.valid();
    }

    boolean busConnected() {
        return nats.getStatus() == Connection.Status.CONNECTED;
    }

    /** Relays this node's events to the others and theirs to it, and reports how that goes. */
    void startRelay(LocalEventBus bus, MeterRegistry metrics) throws IOException {
        Timer lag = Timer.builder("gatehouse.bus.lag").description("Time from an event's commit on another node to its arrival here")
                .publishPercentiles(0.5, 0.99).register(metrics);
        try {
            relay = NatsEventRelay.start(nats, bus, NatsEventRelay.Settings.DEFAULT, millis -> lag.record(millis, TimeUnit.MILLISECONDS));
        } catch (JetStreamApiException e) {
            throw new IOException("could not set up the event stream: " + e.getMessage(), e);
        }
        NatsEventRelay r = relay;
        FunctionCounter.builder("gatehouse.bus.published", r, NatsEventRelay::published)
                .description("Events this node published to the cluster bus and had acknowledged").register(metrics);
        FunctionCounter.builder("gatehouse.bus.publish.failures", r, NatsEventRelay::publishFailures)
                .description("Publications that failed (the other nodes read those events from the log)").register(metrics);
        FunctionCounter.builder("gatehouse.bus.received", r, NatsEventRelay::received)
                .description("Events received from other nodes over the bus").register(metrics);
        Gauge.builder("gatehouse.bus.publish.pending", r, NatsEventRelay::pending)
                .description("Events committed here whose publication is not acknowledged yet (the outbox depth)").register(metrics);
        Gauge.builder("gatehouse.bus.connected", this, m -> m.busConnected() ? 1 : 0).register(metrics);
    }

    /**
     * Where a draining node leaves its gateway sessions, and where nodes take them from: the NATS
     * key-value bucket {@code gatehouse_sessions}, each kept for a resume window.
     */
    SessionHandoffs sessionHandoffs(long resumeWindowMs) throws IOException {
        SessionStore store;
        try {
            store = new SessionStore(nats, SessionStore.Settings.of(Duration.ofMillis(resumeWindowMs)));
        } catch (JetStreamApiException e) {
            throw new IOException("could not open the session bucket: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted opening the session bucket", e);
        }
        String prefix = String.format("%03x", lease.id());
        return new SessionHandoffs() {
            @Override
            public boolean put(String sessionId, byte[] state) {
                return store.put(sessionId, state);
            }

            @Override
            public Optional<byte[]> take(String sessionId, long userId) {
                Optional<byte[]> drained = store.take(sessionId);
                return drained.isPresent() ? drained : askOwner(sessionId, userId);
            }

            @Override
            public String sessionIdPrefix() {
                return prefix;
            }
        };
    }

    /**
     * Asks the live node a session id names (its first three hex digits are its owner's worker id)
     * to give the session up; empty when the id names no other node, or the owner has no such
     * session of that user's, or does not answer in time.
     */
    private Optional<byte[]> askOwner(String sessionId, long userId) {
        if (sessionId.length() != 35 || !sessionId.matches("[0-9a-f]+")) {
            return Optional.empty();
        }
        int owner = Integer.parseInt(sessionId.substring(0, 3), 16);
        if (owner == lease.id()) {
            return Optional.empty(); // ours, and not in the registry: it ended
        }
        try {
            Message reply = nats.request(RELEASE_SUBJECT + owner, (sessionId + " " + userId).getBytes(StandardCharsets.US_ASCII),
                    RELEASE_TIMEOUT);
            return reply == null || reply.getData() == null || reply.getData().length == 0
                    ? Optional.empty() : Optional.of(reply.getData());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("session", sessionId).setCause(e).log("could not ask a session's owner for it");
            return Optional.empty();
        }
    }

    /**
     * Answers other nodes asking for this node's live sessions (their clients resumed there) with
     * {@code release}: the session's state JSON, or nothing.
     */
    void answerReleases(BiFunction<String, Long, CompletableFuture<byte[]>> release) {
        releases = nats.createDispatcher(message -> {
            String[] parts = new String(message.getData(), StandardCharsets.US_ASCII).split(" ");
            if (parts.length != 2 || message.getReplyTo() == null) {
                return;
            }
            long userId;
            try {
                userId = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                return;
            }
            release.apply(parts[0], userId).whenComplete((state, failure) ->
                    nats.publish(message.getReplyTo(), state == null || failure != null ? new byte[0] : state));
        });
        releases.subscribe(RELEASE_SUBJECT + lease.id());
    }

    /** Stops relaying events: a draining node takes no more, so its sessions' states stay exact. */
    void stopRelay() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    /** Announces the node: its role and its public URLs (null for what it does not serve). */
    void announce(String apiUrl, String gatewayUrl) {
        try {
            announcement = directory.announce(new NodeDirectory.Node(config.nodeName(), config.role().wireName(), apiUrl,
                    gatewayUrl, lease.id(), System.currentTimeMillis()), () -> log.warn("this node's announcement lapsed"));
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            // the node works unannounced; API nodes just do not point clients to it
            log.atWarn().setCause(e).log("could not announce this node");
        }
    }

    /** A live gateway's public URL, for an API-only node's {@code GET /gateway}; 502 when there is none. */
    String liveGatewayUrl() {
        Optional<String> url;
        try {
            url = directory.live().stream().map(NodeDirectory.Node::gatewayUrl).filter(u -> u != null).findFirst();
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            throw new Unavailable("the cluster's node directory cannot be read");
        }
        return url.orElseThrow(() -> new Unavailable("no gateway node is up"));
    }

    /** Withdraws the announcement: the node is going. */
    void withdraw() {
        if (announcement != null) {
            announcement.close();
        }
    }

    @Override
    public void close() {
        withdraw();
        stopRelay();
        if (releases != null) {
            nats.closeDispatcher(releases);
        }
        lease.close();
        limits.close();
        try {
            nats.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
