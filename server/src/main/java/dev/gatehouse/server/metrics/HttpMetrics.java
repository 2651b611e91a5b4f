package dev.gatehouse.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * What every HTTP request leaves behind: one sample of the {@code gatehouse_http_requests} timer
 * tagged with method, route template and status, and one access-log line with the same facts as
 * key-values. {@link #handler()} gives the per-connection Netty handler that observes them.
 */
public final class HttpMetrics {

    /** The access log; its level is set apart from the rest ({@code GATEHOUSE_ACCESS_LOG_LEVEL}). */
    static final Logger ACCESS = LoggerFactory.getLogger("gatehouse.access");

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterRegistry registry;
    private final RouteNames routes;

    public HttpMetrics(MeterRegistry registry, RouteNames routes) {
        this.registry = registry;
        this.routes = routes;
    }

    /** A new handler for one connection; it keeps that connection's requests awaiting an answer. */
    public ChannelHandler handler() {
        return new HttpObserver(this);
    }

    void record(String rawMethod, String path, int status, long nanos) {
        // Netty accepts any method token: an unknown one must not become a new time series
        String method = METHODS.contains(rawMethod) ? rawMethod : "OTHER";
        String route = routes.of(method, path);
        Timer.builder("gatehouse.http.requests")
                .description("HTTP requests by method, route template and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        // scrapes and probes arrive every few seconds: keep them out of the default log
        Level level = route.startsWith("/api/") || route.equals(RouteNames.UNMATCHED) ? Level.INFO : Level.DEBUG;
        if (ACCESS.isEnabledForLevel(level)) {
            ACCESS.atLevel(level)
                    .addKeyValue("method", method)
                    .addKeyValue("route", route)
                    .addKeyValue("path", path)
                    .addKeyValue("status", status)
                    .addKeyValue("duration_ms", Math.round(nanos / 100_000.0) / 10.0)
                    .log("http request");
        }
    }
}
