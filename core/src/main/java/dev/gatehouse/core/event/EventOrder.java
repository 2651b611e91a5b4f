package dev.gatehouse.core.event;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One writer per key (a guild, or a user for what is addressed to a user alone), as Discord runs
 * one process per guild. A change to a key's state and the publishing of its events happen inside
 * {@link #writing}, so on this node the events of a key reach the listeners in the order the
 * changes committed, and a listener that reads the store while it handles an event sees exactly
 * the state that event left. {@link #reading} runs a read while no writer of the key is inside its
 * section: what it reads is the state every listener has seen, so a session can join the key's
 * order at that point with nothing lost or doubled.
 *
 * <p>Keys are striped over a fixed set of read-write locks; unrelated keys may share a stripe, which
 * costs a little parallelism, never correctness. Deadlock freedom: a section takes all its stripes
 * up front in index order, and a thread inside a section may only re-enter stripes it already holds
 * (anything else is a programming error and throws). Sections are taken before a database
 * connection is, never while one is held, so the pool cannot starve a writer that holds a stripe.
 */
public final class EventOrder {

    private static final int STRIPES = 1024;

    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];
    /** The section the current thread is in, to refuse a nested one that would need other stripes. */
    private final ThreadLocal<Held> held = new ThreadLocal<>();

    private record Held(int[] stripes, boolean writing) {}

    public EventOrder() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
    }

    /** Runs {@code work} as the only writer of every key in {@code keys}. */
    public <T> T writing(Collection<Long> keys, Supplier<T> work) {
        return section(stripesOf(keys), true, work);
    }

    /** Runs {@code work} while no writer of {@code key} is inside its section. */
    public <T> T reading(long key, Supplier<T> work) {
        return section(new int[] {stripeOf(key)}, false, work);
    }

    /**
     * Whether the current thread holds the writer's section of every key in {@code keys} (that is,
     * of their stripes: a key sharing a stripe with a held one counts as held, as for ordering).
     */
    public boolean isWriting(Collection<Long> keys) {
        Held h = held.get();
        return h != null && h.writing() && containsAll(h.stripes(), stripesOf(keys));
    }

    /** How many threads wait to enter the section of {@code key} (or of a key sharing its stripe). */
    public int waiting(long key) {
        return stripes[stripeOf(key)].getQueueLength();
    }

    private <T> T section(int[] wanted, boolean write, Supplier<T> work) {
        Held outer = held.get();
        if (outer != null) {
            // re-entering is fine for stripes already held (a reader inside a writer's section too);
            // taking any other would break the one order that keeps sections deadlock-free
            if ((write && !outer.writing()) || !containsAll(outer.stripes(), wanted)) {
                throw new IllegalStateException("a nested event section needs stripes its outer section does not hold");
            }
            return work.get();
        }
        for (int s : wanted) {
            lockOf(s, write).lock();
        }
        held.set(new Held(wanted, write));
        try {
            return work.get();
        } finally {
            held.remove();
            for (int i = wanted.length - 1; i >= 0; i--) {
                lockOf(wanted[i], write).unlock();
            }
        }
    }

    private Lock lockOf(int stripe, boolean write) {
        return write ? stripes[stripe].writeLock() : stripes[stripe].readLock();
    }

    private static int stripeOf(long key) {
        long x = key * 0x9E3779B97F4A7C15L;
        return (int) (x >>> 54) & (STRIPES - 1);
    }

    private static int[] stripesOf(Collection<Long> keys) {
        return keys.stream().mapToInt(EventOrder::stripeOf).distinct().sorted().toArray();
    }

    private static boolean containsAll(int[] held, int[] wanted) {
        for (int w : wanted) {
            if (!contains(held, w)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(int[] sorted, int stripe) {
        return Arrays.binarySearch(sorted, stripe) >= 0;
    }
}
