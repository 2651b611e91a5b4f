package dev.gatehouse.core.event;

import dev.gatehouse.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a node what other processes committed to the streams it follows, by reading the event
 * log: an admin command's events on the embedded default, and in a cluster whatever the bus lost
 * (a node that died between its commit and its publish, a bus that restarted). Every
 * {@code interval} it asks which streams changed lately; a followed stream this node has not
 * delivered up to the version the log had one round earlier is handed to the bus, which reads and
 * delivers what is missing. One round of grace, because a cluster's bus brings events a few
 * milliseconds after their commit: without it every busy stream would be read twice. It also
 * prunes the log past its retention.
 *
 * <p>Lately means since the previous poll began, less a margin for transactions that took a
 * version and committed later and for clocks of other processes that run behind.
 */
public final class EventLogPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLogPoller.class);
    static final Duration MARGIN = Duration.ofSeconds(10);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final Store store;
    private final EventBus bus;
    private final Clock clock;
    private final Duration retention;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("event-log-poller").daemon().factory());
    private long lastPoll;
    private long lastPrune;
    /** The followed streams the previous round saw change, with the log's version then. */
    private Map<Long, Long> seen = new HashMap<>();
    /** Failures in a row: the first is logged as a warning, the rest quietly until a round succeeds. */
    private int failing;

    public EventLogPoller(Store store, EventBus bus, Clock clock, Duration retention) {
        this.store = store;
        this.bus = bus;
        this.clock = clock;
        this.retention = retention;
        this.lastPoll = clock.millis();
        this.lastPrune = clock.millis();
    }

    public EventLogPoller start(Duration interval) {
        timer.scheduleWithFixedDelay(this::run, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void run() {
        try {
            poll();
            long now = clock.millis();
            if (now - lastPrune >= PRUNE_EVERY.toMillis()) {
                lastPrune = now;
                int pruned = store.write(tx -> tx.events().prune(now - retention.toMillis()));
                log.atDebug().addKeyValue("pruned", pruned).log("event log pruned");
            }
            failing = 0;
        } catch (RuntimeException e) {
            if (failing++ == 0) {
                log.warn("reading the event log failed; trying again every round", e);
            } else {
                log.debug("reading the event log failed again", e);
            }
        }
    }

    /** One round: the followed streams still behind what the log held a round ago are caught up. */
    public void poll() {
        long started = clock.millis();
        long since = lastPoll - MARGIN.toMillis();
        Map<Long, Long> changed = store.read(tx -> tx.events().changedSince(since));
        for (Map.Entry<Long, Long> before : seen.entrySet()) {
            if (bus.streams().follows(before.getKey())) {
                bus.logReaches(before.getKey(), before.getValue());
            }
        }
        Map<Long, Long> now = new HashMap<>();
        changed.forEach((stream, version) -> {
            if (bus.streams().follows(stream)) {
                now.put(stream, version);
            }
        });
        seen = now;
        lastPoll = started;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
