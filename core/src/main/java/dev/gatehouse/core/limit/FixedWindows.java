package dev.gatehouse.core.limit;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fixed-window counters by key, as Discord's buckets work: a key's window opens with its first hit
 * and closes {@code windowMillis} later, when the count starts over. Time is an argument, so the
 * maths is tested with plain numbers.
 *
 * <p>Thread safety: every change to a key happens inside {@link ConcurrentHashMap#compute}, which
 * holds that key's bin lock, and windows are immutable, so concurrent hits on one key each see a
 * distinct count and {@link #peek} never sees half an update. The sweep removes a window only if it
 * is still the one it judged expired ({@code remove(k, v)} underneath {@code removeIf}), so it cannot
 * drop a hit that raced with it.
 *
 * <p>Memory: an expired window means the same as no window, so the sweep drops them, at least
 * every {@code sweepEveryMillis} and whenever the table holds more than {@code maxKeys}. If a flood
 * of distinct live keys still exceeds {@code maxKeys}, arbitrary windows are dropped down to 90%
 * of it: the keys dropped start over, which is lenient, but the table stays bounded.
 */
public final class FixedWindows<K> {

    /** One key's window: hits counted since it opened, and the epoch millisecond it closes. */
    public record Window(long resetAt, int count) {
        boolean expired(long now) {
            return now >= resetAt;
        }
    }

    private final ConcurrentHashMap<K, Window> windows = new ConcurrentHashMap<>();
    private final int maxKeys;
    private final long sweepEveryMillis;
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
    private final AtomicBoolean sweeping = new AtomicBoolean();

    public FixedWindows(int maxKeys, long sweepEveryMillis) {
        this.maxKeys = maxKeys;
        this.sweepEveryMillis = sweepEveryMillis;
    }

    /** Counts one hit on the key; the window after it (its count includes this hit). */
    public Window hit(K key, long windowMillis, long now) {
        Window after = windows.compute(key, (k, old) -> old == null || old.expired(now)
                ? new Window(now + windowMillis, 1)
                : new Window(old.resetAt(), old.count() == Integer.MAX_VALUE ? old.count() : old.count() + 1));
        if (now >= nextSweep.get() || windows.size() > maxKeys) {
            sweep(now);
        }
        return after;
    }

    /** The key's open window, or null when it has none (never hit, or its window closed). */
    public Window peek(K key, long now) {
        Window w = windows.get(key);
        return w == null || w.expired(now) ? null : w;
    }

    public void forget(K key) {
        windows.remove(key);
    }

    public int size() {
        return windows.size();
    }

    /** Drops closed windows, then arbitrary ones if still over the bound. One sweeper at a time. */
    public void sweep(long now) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            nextSweep.set(now + sweepEveryMillis);
            windows.values().removeIf(w -> w.expired(now));
            if (windows.size() > maxKeys) {
                int target = maxKeys - maxKeys / 10;
                Iterator<K> it = windows.keySet().iterator();
                while (windows.size() > target && it.hasNext()) {
                    it.next();
                    it.remove();
                }
            }
        } finally {
            sweeping.set(false);
        }
    }
}
