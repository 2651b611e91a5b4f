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

/**
 * {@code /healthz}: up when the database answers within {@code budget}. The budget matters when
 * the database is gone: the pool would wait its whole connection timeout (10 s) for a connection,
 * longer than a load balancer's probe waits, and a probe that times out tells less than a 503.
 */
public final class HealthCheck {

    public record Result(boolean healthy, Map<String, Object> body) {}

    private final Store store;
    private final ExecutorService executor;
    private final Duration budget;

    public HealthCheck(Store store, ExecutorService executor, Duration budget) {
        this.store = store;
        this.executor = executor;
        this.budget = budget;
    }

    public Result check() {
        boolean database = databaseAnswers();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", database ? "ok" : "unavailable");
        body.put("database", database ? "up" : "down");
        return new Result(database, body);
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
