package dev.gatehouse.core.event;

import java.util.Arrays;
import java.util.Collection;
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
    /** The stripes the current thread holds, to refuse a nested section that would need others. */
    private final ThreadLocal<Held> held = ThreadLocal.withInitial(Held::new);

    private static final class Held {
        int depth;
        int[] stripes = new int[0];
        boolean writing;
    }

    public EventOrder() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
    }

    /** Runs {@code work} as the only writer of every key in {@code keys}. */
    public <T> T writing(Collection<Long> keys, Supplier<T> work) {
        int[] wanted = stripesOf(keys);
        Held h = held.get();
        if (h.depth > 0) {
            if (!h.writing || !containsAll(h.stripes, wanted)) {
                throw new IllegalStateException("a nested event section needs keys its outer section does not hold: "
                        + keys);
            }
            return work.get();
        }
        for (int s : wanted) {
            stripes[s].writeLock().lock();
        }
        h.depth = 1;
        h.stripes = wanted;
        h.writing = true;
        try {
            return work.get();
        } finally {
            h.depth = 0;
            h.stripes = new int[0];
            h.writing = false;
            for (int i = wanted.length - 1; i >= 0; i--) {
                stripes[wanted[i]].writeLock().unlock();
            }
        }
    }

    /** Runs {@code work} while no writer of {@code key} is inside its section. */
    public <T> T reading(long key, Supplier<T> work) {
        int stripe = stripeOf(key);
        Held h = held.get();
        if (h.depth > 0) {
            if (!contains(h.stripes, stripe)) {
                throw new IllegalStateException("a nested read section needs a key its outer section does not hold: " + key);
            }
            return work.get();
        }
        ReentrantReadWriteLock.ReadLock lock = stripes[stripe].readLock();
        lock.lock();
        h.depth = 1;
        h.stripes = new int[] {stripe};
        h.writing = false;
        try {
            return work.get();
        } finally {
            h.depth = 0;
            h.stripes = new int[0];
            lock.unlock();
        }
    }

    /** Whether the current thread is inside a writing section that covers {@code key}. */
    public boolean isWriting(long key) {
        Held h = held.get();
        return h.depth > 0 && h.writing && contains(h.stripes, stripeOf(key));
    }

    /** Whether the current thread is inside any section. */
    public boolean inSection() {
        return held.get().depth > 0;
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
