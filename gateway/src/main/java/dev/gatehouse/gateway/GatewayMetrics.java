package dev.gatehouse.gateway;

import dev.gatehouse.gateway.hub.SessionRegistry;
import dev.gatehouse.gateway.hub.Subscriber;
import dev.gatehouse.protocol.Dialect;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's meters, the seed's monitoring set among them: close-code distribution, resume
 * success rate, time to resume, heartbeat latency (and the time from a heartbeat request to its
 * answer); plus connections, sessions, dispatches,
 * replay-buffer depth and bytes before and after compression.
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter dispatches;
    private final Counter bytesIn;
    private final Counter bytesOutRaw;
    private final Counter bytesOutWire;
    private final Timer heartbeatRoundTrip;
    private final Timer heartbeatLatency;
    private final Timer timeToResume;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("gatehouse.gateway.connections", connections, AtomicInteger::get)
                .description("Open gateway WebSocket connections").register(registry);
        dispatches = Counter.builder("gatehouse.gateway.dispatches").description("Dispatches written to connections, replays included")
                .register(registry);
        bytesIn = Counter.builder("gatehouse.gateway.bytes.in").baseUnit("bytes").register(registry);
        bytesOutRaw = Counter.builder("gatehouse.gateway.bytes.out").tag("stage", "uncompressed").baseUnit("bytes")
                .register(registry);
        bytesOutWire = Counter.builder("gatehouse.gateway.bytes.out").tag("stage", "wire").baseUnit("bytes")
                .register(registry);
        heartbeatRoundTrip = Timer.builder("gatehouse.gateway.heartbeat.round.trip")
                .description("From the server's heartbeat request to the client's heartbeat")
                .publishPercentileHistogram().register(registry);
        heartbeatLatency = Timer.builder("gatehouse.gateway.heartbeat.latency")
                .description("The connection's round trip, measured at each client heartbeat: the kernel's TCP estimate "
                        + "(epoll), or a WebSocket ping answered (other transports)")
                .publishPercentileHistogram().register(registry);
        timeToResume = Timer.builder("gatehouse.gateway.resume.time")
                .description("How long a session was without a connection before it resumed")
                .publishPercentileHistogram().register(registry);
    }

    /** Session gauges read the registry at scrape time. */
    public void bindSessions(SessionRegistry sessions) {
        Gauge.builder("gatehouse.gateway.sessions", sessions, SessionRegistry::size)
                .description("Gateway sessions on this node, attached or resumable").register(registry);
        Gauge.builder("gatehouse.gateway.replay.depth", sessions, GatewayMetrics::totalReplayDepth)
                .description("Unacknowledged dispatches held for resume, all sessions").register(registry);
        Gauge.builder("gatehouse.gateway.replay.depth.max", sessions, GatewayMetrics::maxReplayDepth)
                .description("Unacknowledged dispatches of the most behind session").register(registry);
    }

    private static double totalReplayDepth(SessionRegistry sessions) {
        long total = 0;
        for (Subscriber s : sessions.all()) {
            total += s.session().replayDepth();
        }
        return total;
    }

    private static double maxReplayDepth(SessionRegistry sessions) {
        int max = 0;
        for (Subscriber s : sessions.all()) {
            max = Math.max(max, s.session().replayDepth());
        }
        return max;
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public int connections() {
        return connections.get();
    }

    /** A close, by code, dialect and who sent it ({@code server} or {@code client}). */
    public void closed(Dialect dialect, int code, String by) {
        registry.counter("gatehouse.gateway.closes", "code", Integer.toString(code),
                "dialect", dialect == null ? "none" : dialect.name().toLowerCase(Locale.ROOT), "by", by).increment();
    }

    /** An identify's outcome: ready, invalid_session, or the close code's number. */
    public void identify(String outcome) {
        registry.counter("gatehouse.gateway.identifies", "outcome", outcome).increment();
    }

    /** A resume's outcome: resumed, or why not (unknown_session, ended, seq_ahead, seq_behind, auth_failed). */
    public void resume(String outcome) {
        registry.counter("gatehouse.gateway.resumes", "outcome", outcome).increment();
    }

    /** A session another node handed over was taken over here. */
    public void takenOver() {
        registry.counter("gatehouse.gateway.sessions.taken.over").increment();
    }

    /** This node handed sessions over to others ({@code ok}) or could not ({@code failed}). */
    public void handedOver(int ok, int failed) {
        registry.counter("gatehouse.gateway.sessions.handed.over", "outcome", "ok").increment(ok);
        registry.counter("gatehouse.gateway.sessions.handed.over", "outcome", "failed").increment(failed);
    }

    /** This node drained into the cluster. */
    public void drained() {
        registry.counter("gatehouse.gateway.drains").increment();
    }

    public void resumedAfter(long millis) {
        timeToResume.record(Duration.ofMillis(Math.max(0, millis)));
    }

    public void heartbeatRoundTrip(long millis) {
        heartbeatRoundTrip.record(Duration.ofMillis(Math.max(0, millis)));
    }

    public void heartbeatLatency(long micros) {
        heartbeatLatency.record(Duration.ofNanos(Math.max(0, micros) * 1000));
    }

    public void dispatched(int count) {
        dispatches.increment(count);
    }

    public void bytesIn(long n) {
        bytesIn.increment(n);
    }

    public void bytesOut(long uncompressed, long wire) {
        bytesOutRaw.increment(uncompressed);
        bytesOutWire.increment(wire);
    }
}
