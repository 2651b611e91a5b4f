package dev.gatehouse.compat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Everything a library reported, in arrival order; tests wait on it. Thread-safe. */
final class BotEvents {

    private final List<BotEvent> seen = new ArrayList<>();

    synchronized void add(BotEvent e) {
        seen.add(e);
        notifyAll();
    }

    /** Waits for the first event (from the start) that matches. */
    synchronized BotEvent await(Predicate<BotEvent> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (BotEvent e : seen) {
                if (match.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; saw " + tail());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    BotEvent await(BotEvent.Kind kind, long id, Duration timeout) {
        return await(e -> e.kind() == kind && e.id() == id, timeout, kind + " " + id);
    }

    /** Waits until at least {@code n} events of the kind arrived. */
    synchronized void awaitCount(BotEvent.Kind kind, long n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(kind) < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + n + " " + kind + "; saw " + tail());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + kind);
            }
        }
    }

    synchronized List<BotEvent> all() {
        return List.copyOf(seen);
    }

    synchronized long count(BotEvent.Kind kind) {
        return seen.stream().filter(e -> e.kind() == kind).count();
    }

    private String tail() {
        return seen.subList(Math.max(0, seen.size() - 20), seen.size()).toString();
    }
}
