package dev.gatehouse.core.event;

import dev.gatehouse.core.store.Store;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's bus: listeners in this process, called on the delivering thread inside the event's
 * section, so a listener must hand slow work off (the gateway hands each event to its event loops)
 * and must never wait for another key's section. A failing listener is logged and never stops
 * delivery to the others or fails the change that published.
 *
 * <p>Per followed stream, logged events are delivered exactly once, in version order: an event
 * that comes twice is dropped, one that comes early waits, and a gap is read from the log (it
 * was committed before the event after it, so it is there). This process's own commits arrive on
 * the committing thread inside the change's section; those of a stream nobody here follows are
 * still heard by the listeners (in commit order, as they come from inside the section), since
 * only following needs a cursor. Events from elsewhere are heard only for followed streams.
 */
public final class LocalEventBus implements EventBus {

    private static final Logger log = LoggerFactory.getLogger(LocalEventBus.class);
    /** How many events one read of the log brings at most. */
    private static final int READ_BATCH = 500;
    /** How long a stream is followed at least, so one followed for a session still starting is not dropped under it. */
    private static final Duration FORGET_GRACE = Duration.ofSeconds(30);

    private final CopyOnWriteArrayList<Consumer<GatewayEvent>> listeners = new CopyOnWriteArrayList<>();
    private final EventOrder order = new EventOrder();
    private final StreamCursors streams = new StreamCursors();
    /** Null in unit tests without a store: nothing can be read back. */
    private final Store store;
    private final Executor catchUps = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bus-catch-up-", 0).factory());
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder read = new LongAdder();
    private final LongAdder lost = new LongAdder();
    /** Where this process's commits go after their delivery here: a cluster bus, or nowhere. */
    private volatile Consumer<List<GatewayEvent>> relay = events -> { };

    /** A bus without a log to read from: for tests of what runs on it. */
    public LocalEventBus() {
        this.store = null;
    }

    /** The bus of {@code store}'s commits, reading what it misses from the store's log. */
    public LocalEventBus(Store store) {
        this.store = store;
        store.onCommitted(this::committed);
    }

    @Override
    public void publish(GatewayEvent event) {
        if (event.reportsCommittedChange()) {
            throw new IllegalArgumentException(event.type() + " reports a change: publish it in the change's transaction");
        }
        order.writing(event.orderKeys(), () -> {
            deliver(event);
            return null;
        });
    }

    @Override
    public void committed(List<GatewayEvent> events) {
        // all of a commit's events wait in their streams first, so a listener's own change
        // committed during the delivery of the first (a voice disconnect on a removal) queues
        // behind the rest instead of looking like a gap
        for (GatewayEvent e : events) {
            // a change's events are delivered in the section its transaction committed in, or they could
            // go out in another order than the commits (checked wherever assertions run: every test)
            assert order.isWriting(e.orderKeys()) : e.type() + " committed outside the section of the change it reports";
            StreamCursors.Cursor c = streams.cursor(e.position().stream());
            if (c != null && e.position().version() > c.delivered) {
                c.early.put(e.position().version(), e);
            }
        }
        for (GatewayEvent e : events) {
            long stream = e.position().stream();
            StreamCursors.Cursor c = streams.cursor(stream);
            if (c == null) {
                deliver(e);
            } else if (drain(stream, c)) {
                catchUps.execute(() -> catchUp(stream));
            }
        }
        relay.accept(events);
    }

    /**
     * Hands every event this process commits, after its delivery here, to {@code relay} (a cluster
     * bus publishing it to the other nodes). On the committing thread, inside the section: the
     * relay must not block.
     */
    public void relayTo(Consumer<List<GatewayEvent>> relay) {
        this.relay = relay;
    }

    @Override
    public void received(GatewayEvent event) {
        long stream = event.position().stream();
        if (!streams.follows(stream)) {
            return;
        }
        boolean stuck = order.writing(event.orderKeys(), () -> {
            StreamCursors.Cursor c = streams.cursor(stream);
            return c != null && arrive(stream, c, event);
        });
        if (stuck) {
            catchUp(stream);
        }
    }

    /**
     * The log holds {@code stream} up to {@code version} (a poll of the log, or a cluster bus's
     * notice): what this node has not delivered of it is read and delivered.
     */
    @Override
    public void logReaches(long stream, long version) {
        if (streams.follows(stream) && order.reading(stream, () -> streams.delivered(stream)) < version) {
            catchUp(stream);
        }
    }

    /**
     * Brings every followed stream up to the log: after a cluster bus was away (a reconnect), when
     * what it missed may be the last events of their streams, which no later event would reveal.
     */
    public void catchUpAll() {
        if (store == null) {
            return;
        }
        List<Long> followed = List.copyOf(streams.followed());
        for (int from = 0; from < followed.size(); from += READ_BATCH) {
            List<Long> batch = followed.subList(from, Math.min(followed.size(), from + READ_BATCH));
            store.read(tx -> tx.events().versions(batch)).forEach(this::logReaches);
        }
    }

    /** Takes an event of a followed stream; true when the stream is stuck on sections this thread does not hold. */
    private boolean arrive(long stream, StreamCursors.Cursor c, GatewayEvent e) {
        if (e.position().version() <= c.delivered) {
            duplicates.increment();
            return false;
        }
        c.early.put(e.position().version(), e);
        return drain(stream, c);
    }

    /**
     * Delivers the stream's events in order while the next one is at hand (read from the log when
     * missing) and its sections are held by this thread. Inside the stream's section; a delivery
     * already under way on this thread (a listener's change to the same stream) is left to finish
     * the work, so events stay in order. True when it stopped at an event whose sections this
     * thread does not hold (a join, which needs its guild's too).
     */
    private boolean drain(long stream, StreamCursors.Cursor c) {
        if (c.draining) {
            return false;
        }
        c.draining = true;
        try {
            while (!c.early.isEmpty()) {
                Map.Entry<Long, GatewayEvent> first = c.early.firstEntry();
                long version = first.getKey();
                if (version <= c.delivered) {
                    c.early.pollFirstEntry();
                    continue;
                }
                if (version > c.delivered + 1) {
                    if (store == null) {
                        return false; // nothing to read the gap from: wait for it to come
                    }
                    fillGap(stream, c, version - 1);
                    continue;
                }
                GatewayEvent e = first.getValue();
                if (!order.isWriting(e.orderKeys())) {
                    return true;
                }
                c.early.pollFirstEntry();
                c.delivered = version;
                c.remember(e);
                deliver(e);
            }
            return false;
        } finally {
            c.draining = false;
        }
    }

    /**
     * Reads the gap up to {@code upTo} from the log. The event after it committed, so the gap did
     * too and is visible now; what the log no longer holds (pruned while this node lagged) is
     * skipped, counted and logged.
     */
    private void fillGap(long stream, StreamCursors.Cursor c, long upTo) {
        long from = c.delivered;
        List<GatewayEvent> got = read(stream, from, upTo - from);
        got.forEach(e -> c.early.putIfAbsent(e.position().version(), e));
        long next = got.isEmpty() ? upTo + 1 : got.get(0).position().version();
        if (next > from + 1) {
            lost.add(next - 1 - from);
            log.error("events {}..{} of stream {} are no longer in the event log: skipped", from + 1, next - 1, stream);
            c.delivered = next - 1;
        }
    }

    private List<GatewayEvent> read(long stream, long after, long count) {
        if (store == null) {
            return List.of();
        }
        List<GatewayEvent> got = store.read(tx -> tx.events().after(stream, after, (int) Math.min(READ_BATCH, count)));
        read.add(got.size());
        return got;
    }

    /**
     * Reads what the log holds of the stream past this node's cursor and delivers it, taking the
     * sections its events need (a join takes its guild's as well as its user's).
     */
    private void catchUp(long stream) {
        Set<Long> keys = Set.of(stream);
        while (!keys.isEmpty()) {
            Set<Long> held = keys;
            keys = order.writing(held, () -> {
                StreamCursors.Cursor c = streams.cursor(stream);
                while (c != null) {
                    if (drain(stream, c)) {
                        Set<Long> wider = new LinkedHashSet<>(held);
                        wider.addAll(c.early.firstEntry().getValue().orderKeys());
                        return wider.equals(held) ? Set.<Long>of() : wider;
                    }
                    List<GatewayEvent> got = read(stream, c.delivered, READ_BATCH);
                    if (got.isEmpty()) {
                        break;
                    }
                    got.forEach(e -> c.early.putIfAbsent(e.position().version(), e));
                }
                return Set.<Long>of();
            });
        }
    }

    /**
     * Stops following the streams {@code wanted} no longer wants (and followed for a while), each
     * inside its section; what came early for them is dropped with the cursor.
     */
    @Override
    public void forget(LongPredicate wanted) {
        for (long stream : streams.followed()) {
            if (!wanted.test(stream) && streams.followedFor(stream, FORGET_GRACE)) {
                order.writing(List.of(stream), () -> {
                    if (!wanted.test(stream)) {
                        streams.drop(stream);
                    }
                    return null;
                });
            }
        }
    }

    private void deliver(GatewayEvent event) {
        for (Consumer<GatewayEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.error("event listener failed on {}", event.type(), e);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<GatewayEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public EventOrder order() {
        return order;
    }

    @Override
    public StreamCursors streams() {
        return streams;
    }

    /** Events that came again and were dropped. */
    public long duplicates() {
        return duplicates.sum();
    }

    /** Events read back from the log (gaps and catch-ups). */
    public long readBack() {
        return read.sum();
    }

    /** Events the log no longer held when this node needed them. */
    public long lost() {
        return lost.sum();
    }
}
