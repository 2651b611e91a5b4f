package dev.gatehouse.client.gateway;

import dev.gatehouse.protocol.Dialect;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The seed's client monitoring through Micrometer: close-code distribution
 * ({@code gatehouse.client.closes}, by code and side), resume success rate
 * ({@code gatehouse.client.resumes} attempted vs succeeded), time to reconnect
 * ({@code gatehouse.client.reconnect.time}, by resumed or identified) and heartbeat round trip
 * ({@code gatehouse.client.heartbeat.rtt}). A null registry records nothing.
 */
final class ClientMetrics implements GatewayListener {

    private final MeterRegistry registry;
    private final String dialect;
    private final Counter resumeAttempts;
    private final Counter resumeSuccesses;
    private final Counter duplicates;
    private final Timer resumedAfter;
    private final Timer identifiedAfter;
    private final Timer heartbeat;

    ClientMetrics(MeterRegistry registry, Dialect dialect) {
        this.registry = registry;
        this.dialect = dialect.name().toLowerCase(java.util.Locale.ROOT);
        if (registry == null) {
            resumeAttempts = resumeSuccesses = duplicates = null;
            resumedAfter = identifiedAfter = heartbeat = null;
            return;
        }
        resumeAttempts = Counter.builder("gatehouse.client.resumes").tag("dialect", this.dialect).tag("outcome", "attempted")
                .register(registry);
        resumeSuccesses = Counter.builder("gatehouse.client.resumes").tag("dialect", this.dialect).tag("outcome", "resumed")
                .register(registry);
        duplicates = Counter.builder("gatehouse.client.duplicates").description("Dispatches dropped as already delivered")
                .tag("dialect", this.dialect).register(registry);
        resumedAfter = reconnectTimer(registry, "resumed");
        identifiedAfter = reconnectTimer(registry, "identified");
        heartbeat = Timer.builder("gatehouse.client.heartbeat.rtt").tag("dialect", this.dialect)
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    private Timer reconnectTimer(MeterRegistry r, String how) {
        return Timer.builder("gatehouse.client.reconnect.time").description("From losing a connection to a live session again")
                .tag("dialect", dialect).tag("how", how).publishPercentiles(0.5, 0.99).register(r);
    }

    @Override
    public void onClosed(int code, String reason, boolean byServer) {
        if (registry != null) {
            registry.counter("gatehouse.client.closes", "dialect", dialect, "code", Integer.toString(code), "by",
                    byServer ? "server" : "client").increment();
        }
    }

    @Override
    public void onResumeAttempt() {
        if (registry != null) {
            resumeAttempts.increment();
        }
    }

    @Override
    public void onResumed(long downtimeMillis) {
        if (registry != null) {
            resumeSuccesses.increment();
            resumedAfter.record(Duration.ofMillis(downtimeMillis));
        }
    }

    @Override
    public void onIdentified(long downtimeMillis) {
        if (registry != null && downtimeMillis >= 0) {
            identifiedAfter.record(Duration.ofMillis(downtimeMillis));
        }
    }

    @Override
    public void onHeartbeatAck(long roundTripMillis) {
        if (registry != null) {
            heartbeat.record(Duration.ofMillis(roundTripMillis));
        }
    }

    @Override
    public void onDuplicate(long seq) {
        if (registry != null) {
            duplicates.increment();
        }
    }
}
