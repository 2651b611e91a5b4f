package dev.gatehouse.gateway;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.limit.LocalWindowCounters;
import dev.gatehouse.core.limit.WindowCounters;
import dev.gatehouse.gateway.fanout.GuildAccess;
import dev.gatehouse.gateway.fanout.Intents;
import dev.gatehouse.gateway.hub.Fanout;
import dev.gatehouse.gateway.hub.GuildSnapshots;
import dev.gatehouse.gateway.hub.IdentifyLimiter;
import dev.gatehouse.gateway.hub.SessionHandoffs;
import dev.gatehouse.gateway.hub.SessionRegistry;
import dev.gatehouse.gateway.hub.SessionRequests;
import dev.gatehouse.gateway.hub.SessionStarter;
import dev.gatehouse.gateway.hub.SessionTakeover;
import dev.gatehouse.gateway.hub.Subscriber;
import dev.gatehouse.gateway.lazy.LazyLists;
import dev.gatehouse.gateway.netty.GatewayChannelHandler;
import dev.gatehouse.gateway.netty.GatewayUpgradeHandler;
import dev.gatehouse.gateway.presence.Presences;
import dev.gatehouse.gateway.session.ConnectionIO;
import dev.gatehouse.gateway.session.GatewayConnection;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.gateway.session.SessionSink;
import dev.gatehouse.gateway.session.SessionState;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Encoding;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's gateway: sessions, fan-out from the bus, identify and resume, and the WebSocket
 * entry point the server's pipeline hands {@code /gateway} upgrades to.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Platform platform;
    private final GatewayConfig config;
    private final Supplier<String> url;
    private final GatewayMetrics metrics;
    private final SessionRegistry registry = new SessionRegistry();
    private final IdentifyLimiter identifyLimiter;
    private final GuildAccess access;
    private final Fanout fanout;
    private final SessionStarter starter;
    private final SessionRequests requests;
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gateway-", 0).factory());
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("gateway-sweeper").daemon().factory());
    private final Set<GatewayChannelHandler> connections = ConcurrentHashMap.newKeySet();
    private final List<AutoCloseable> subscriptions;
    private final Presences presences;
    private final LazyLists lazy;
    private final SessionHandoffs handoffs;
    private final SessionTakeover takeover;

    /** A node's gateway on its own: limits counted on the node, sessions that live and die with it. */
    public Gateway(Platform platform, GatewayConfig config, MeterRegistry meters, Supplier<String> url) {
        this(platform, config, meters, url, new LocalWindowCounters(100_000, 60_000), SessionHandoffs.NONE);
    }

    /**
     * @param url the gateway's public {@code ws://} URL (READY's {@code resume_gateway_url})
     * @param limits where identify concurrency is counted: the node's, or the cluster's shared counters
     * @param handoffs where a draining node leaves its sessions for other nodes, and takes theirs from
     */
    public Gateway(Platform platform, GatewayConfig config, MeterRegistry meters, Supplier<String> url, WindowCounters limits,
            SessionHandoffs handoffs) {
        this.platform = platform;
        this.config = config;
        this.url = url;
        this.metrics = new GatewayMetrics(meters);
        this.metrics.bindSessions(registry);
        this.identifyLimiter = new IdentifyLimiter(platform.context().limits().maxConcurrency(), limits);
        this.access = new GuildAccess(platform.context().store());
        this.fanout = new Fanout(registry, access, platform.context().bus().streams(), new GuildSnapshots(platform), this::now);
        this.presences = new Presences(platform.context().store(), platform.context().bus(), blocking);
        this.lazy = new LazyLists(platform.context().store(), access, presences.registry(), blocking,
                platform.context().bus().order(), this::now);
        this.handoffs = handoffs;
        this.takeover = new SessionTakeover(platform, config, registry, fanout, access, presences, this::sessionEnded);
        this.starter = new SessionStarter(platform, config, registry, identifyLimiter, this::now, url, blocking, metrics,
                presences, access, this::sessionEnded, handoffs, takeover);
        this.requests = new SessionRequests(platform, blocking, presences, lazy, registry, this::now);
        // fan-out first, so member lists change after the events that changed them went out
        this.subscriptions = List.of(platform.context().bus().subscribe(fanout::publish),
                platform.context().bus().subscribe(lazy::observe));
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** Ends sessions whose resume window passed and flushes the buffers of detached ones. */
    private void sweep() {
        try {
            long now = now();
            for (Subscriber s : registry.all()) {
                GatewaySession session = s.session();
                if (session.expireIfDue(now)) {
                    continue;
                }
                if (!session.isAttached() && session.nextDeadline() <= now) {
                    s.home().execute(() -> session.tick(now));
                }
            }
            dropUnfollowedGuilds();
            // the streams no session here needs any more: a guild nobody follows, a user with no session
            platform.context().bus().forget(stream -> registry.isFollowed(stream) || registry.hasUser(stream)
                    || platform.voice().hasStatesIn(stream));
        } catch (RuntimeException e) {
            log.error("gateway sweep failed", e);
        }
    }

    /** Forgets the guild caches no session follows any more, each inside its guild's section. */
    private void dropUnfollowedGuilds() {
        for (long guildId : access.cachedGuilds()) {
            if (!registry.isFollowed(guildId)) {
                platform.context().bus().order().writing(List.of(guildId), () -> {
                    if (!registry.isFollowed(guildId)) {
                        access.drop(guildId);
                    }
                    return null;
                });
            }
        }
    }

    /**
     * A session ended (with its lock held): its presence goes offline, its lists forget it, and the
     * voice channels it was in are left (in the guilds' sections, so off this thread).
     */
    private void sessionEnded(GatewaySession session) {
        presences.ended(session);
        lazy.forget(session);
        long userId = session.identity().userId();
        try {
            blocking.execute(() -> platform.voice().sessionEnded(userId, session.id()));
        } catch (RejectedExecutionException stopping) {
            // the node is stopping: the voice states in its memory go with it
        }
    }

    public GatewayConnection newConnection(Dialect dialect, Encoding encoding, ConnectionIO io, SessionSink sink) {
        return new GatewayConnection(dialect, encoding, config, io, sink, Intents.ALL, now());
    }

    /** The handler to put in the HTTP pipeline before the API handler. */
    public ChannelHandler upgradeHandler(Consumer<ChannelPipeline> removeHttpHandlers) {
        return new GatewayUpgradeHandler(this, removeHttpHandlers);
    }

    public void track(GatewayChannelHandler handler) {
        connections.add(handler);
    }

    public void untrack(GatewayChannelHandler handler) {
        connections.remove(handler);
    }

    public long now() {
        return platform.context().clock().millis();
    }

    public String url() {
        return url.get();
    }

    public GatewayConfig config() {
        return config;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public SessionStarter starter() {
        return starter;
    }

    public SessionRequests requests() {
        return requests;
    }

    public SessionRegistry sessions() {
        return registry;
    }

    /**
     * Asks every client to reconnect (op 7, then 4000) and waits up to {@code grace} for the
     * connections to close; their sessions stay resumable on a node that can take them.
     */
    public void drain(Duration grace) {
        for (GatewayChannelHandler c : connections) {
            c.reconnect("Server is restarting: reconnect and resume");
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Drains into the cluster (docs/ARCHITECTURE.md, "Cluster"): every live session's state goes to
     * the handoff store, then every client gets op 7 and resumes on another node (or on this one
     * after a restart), which takes the session over with exact replay; the sessions end here.
     * Call once nothing new is delivered here (the node stopped taking requests and events), so
     * the states are exact. Without a handoff store this is {@link #drain}. Returns how many
     * sessions were handed over.
     */
    public int handOff(Duration grace) {
        if (handoffs == SessionHandoffs.NONE) {
            drain(grace);
            return 0;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        List<CompletableFuture<SessionState>> exports = new ArrayList<>();
        for (Subscriber s : registry.all()) {
            CompletableFuture<SessionState> state = new CompletableFuture<>();
            try {
                // on the home loop, behind every dispatch already queued for the session
                s.home().execute(() -> state.complete(s.session().isLive() ? takeover.export(s) : null));
            } catch (RejectedExecutionException stopping) {
                state.complete(null);
            }
            exports.add(state);
        }
        List<CompletableFuture<Boolean>> stored = new ArrayList<>();
        int failed = 0;
        for (CompletableFuture<SessionState> export : exports) {
            SessionState state;
            try {
                state = export.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                state = null;
            }
            if (state == null) {
                failed++;
                continue;
            }
            SessionState s = state;
            stored.add(CompletableFuture.supplyAsync(() -> handoffs.put(s.id(), s.toJson()), blocking));
        }
        int ok = 0;
        for (CompletableFuture<Boolean> put : stored) {
            if (put.join()) {
                ok++;
            } else {
                failed++;
            }
        }
        drain(grace);
        for (Subscriber s : registry.all()) {
            s.session().end(CloseCode.UNKNOWN_ERROR, "Session handed over to another node");
        }
        metrics.handedOver(ok, failed);
        metrics.drained();
        log.atInfo().addKeyValue("handed_over", ok).addKeyValue("failed", failed).log("gateway sessions handed over");
        return ok;
    }

    /**
     * Gives up a live session of this node's for the node its client resumed on: completes with
     * its state (the session has ended here), or null when it is not here or not that user's.
     */
    public CompletableFuture<SessionState> release(String sessionId, long userId) {
        CompletableFuture<SessionState> state = takeover.release(sessionId, userId);
        return state.thenApply(s -> {
            if (s != null) {
                metrics.handedOver(1, 0);
            }
            return s;
        });
    }

    /** Op 7, then 4000, to the user's connections on this node; completes with how many there were. */
    public CompletableFuture<Integer> reconnect(long userId, String reason) {
        return forUser(userId, h -> h.ifUser(userId, c -> c.reconnect(reason)));
    }

    /** Closes the user's connections on this node with a code; the code decides if sessions survive. */
    public CompletableFuture<Integer> close(long userId, CloseCode code, String reason) {
        return forUser(userId, h -> h.ifUser(userId, c -> c.close(code, reason)));
    }

    /** Drops the user's connections on this node without a close frame; their sessions stay resumable. */
    public CompletableFuture<Integer> abort(long userId) {
        return forUser(userId, h -> h.abortIfUser(userId));
    }

    private CompletableFuture<Integer> forUser(long userId, Function<GatewayChannelHandler, CompletableFuture<Boolean>> action) {
        List<CompletableFuture<Boolean>> done = connections.stream().map(action).toList();
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                .thenApply(v -> (int) done.stream().filter(CompletableFuture::join).count());
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                log.warn("could not unsubscribe the gateway from the bus", e);
            }
        }
        blocking.shutdown();
        try {
            // identify, presence and member-list work still running needs the store, which closes next
            if (!blocking.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("gateway tasks still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
