package dev.gatehouse.server.metrics;

import dev.gatehouse.core.store.Store;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz}: up when the database answers within {@code budget} and, for a cluster node,
 * while its worker-id lease holds; the body shows the database, and for a cluster node its name,
 * the bus and the lease. A node cut off from the bus stays up: the event log brings it what the
 * bus does not, later. The budget matters when
 * the database is gone: the pool would wait its whole connection timeout (10 s) for a connection,
 * longer than a load balancer's probe waits, and a probe that times out tells less than a 503.
 */
public final class HealthCheck {

    public record Result(boolean healthy, Map<String, Object> body) {}

    /** A cluster node's part: its name, whether its bus is connected, whether its worker-id lease holds. */
    public record Cluster(String node, BooleanSupplier bus, BooleanSupplier lease) {}

    private final Store store;
    private final ExecutorService executor;
    private final Duration budget;
    private final Cluster cluster;

    /** @param cluster null for a node on its own */
    public HealthCheck(Store store, ExecutorService executor, Duration budget, Cluster cluster) {
        this.store = store;
        this.executor = executor;
        this.budget = budget;
        this.cluster = cluster;
    }

    public Result check() {
        boolean database = databaseAnswers();
        boolean lease = cluster == null || cluster.lease().getAsBoolean();
        boolean healthy = database && lease;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "unavailable");
        body.put("database", database ? "up" : "down");
        if (cluster != null) {
            body.put("node", cluster.node());
            body.put("bus", cluster.bus().getAsBoolean() ? "up" : "down");
            body.put("worker_lease", lease ? "held" : "lost");
        }
        return new Result(healthy, body);
    }

    private boolean databaseAnswers() {
        Future<Boolean> probe;
        try {
            probe = executor.submit(store::isHealthy);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false; // shutting down
        }
        try {
            return probe.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            probe.cancel(true);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            probe.cancel(true);
            return false;
        }
    }
}
