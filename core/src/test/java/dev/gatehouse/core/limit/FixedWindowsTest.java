package dev.gatehouse.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FixedWindowsTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void windowOpensOnFirstHitAndStartsOverWhenItCloses() {
        FixedWindows<String> w = new FixedWindows<>(1000, 60_000);
        assertThat(w.peek("k", T0)).isNull();

        assertThat(w.hit("k", 1_000, T0)).isEqualTo(new FixedWindows.Window(T0 + 1_000, 1));
        assertThat(w.hit("k", 1_000, T0 + 400)).isEqualTo(new FixedWindows.Window(T0 + 1_000, 2));
        // the window is fixed: a later hit does not push its end out
        assertThat(w.hit("k", 1_000, T0 + 999)).isEqualTo(new FixedWindows.Window(T0 + 1_000, 3));
        assertThat(w.peek("k", T0 + 999)).isEqualTo(new FixedWindows.Window(T0 + 1_000, 3));

        assertThat(w.peek("k", T0 + 1_000)).as("closed at resetAt exactly").isNull();
        assertThat(w.hit("k", 1_000, T0 + 1_000)).isEqualTo(new FixedWindows.Window(T0 + 2_000, 1));
    }

    @Test
    void keysCountSeparately() {
        FixedWindows<String> w = new FixedWindows<>(1000, 60_000);
        w.hit("a", 1_000, T0);
        w.hit("a", 1_000, T0);
        assertThat(w.hit("b", 5_000, T0 + 10)).isEqualTo(new FixedWindows.Window(T0 + 5_010, 1));
        assertThat(w.peek("a", T0 + 10).count()).isEqualTo(2);
    }

    @Test
    void sweepDropsClosedWindowsOnTheNextHitAfterTheInterval() {
        FixedWindows<Integer> w = new FixedWindows<>(1_000_000, 60_000);
        for (int i = 0; i < 500; i++) {
            w.hit(i, 1_000, T0);
        }
        w.hit(-1, 120_000, T0);
        assertThat(w.size()).isEqualTo(501);
        // windows closed but the sweep interval has not passed: still held (lazily equal to absent)
        w.hit(-2, 120_000, T0 + 30_000);
        assertThat(w.size()).isEqualTo(502);
        assertThat(w.peek(7, T0 + 30_000)).isNull();

        w.hit(-3, 120_000, T0 + 60_001);
        assertThat(w.size()).as("only the three open windows survive").isEqualTo(3);
    }

    @Test
    void aFloodOfDistinctLiveKeysStaysBounded() {
        FixedWindows<Integer> w = new FixedWindows<>(1_000, 60_000);
        int maxSeen = 0;
        for (int i = 0; i < 50_000; i++) {
            w.hit(i, 3_600_000, T0);
            maxSeen = Math.max(maxSeen, w.size());
        }
        assertThat(maxSeen).isLessThanOrEqualTo(1_001);
        assertThat(w.size()).isBetween(800, 1_000);
        // the newest key is still counted: eviction happens before the table fills again
        assertThat(w.peek(49_999, T0)).isNotNull();
    }

    @Test
    void concurrentHitsOnOneKeyEachGetADistinctCount() throws Exception {
        FixedWindows<String> w = new FixedWindows<>(1000, 60_000);
        int threads = 32;
        int perThread = 500;
        int limit = 1_234;
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        if (w.hit("shared", 60_000, T0).count() <= limit) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(admitted.get()).isEqualTo(limit);
        assertThat(w.peek("shared", T0).count()).isEqualTo(threads * perThread);
    }

    @Test
    void sweepRacingWithHitsNeverDropsAnOpenWindow() throws Exception {
        // Each step opens fresh windows while a sweeper clears the previous step's closed ones at
        // the same instant: a sweep that removed by key alone would sometimes drop a fresh window.
        FixedWindows<Integer> w = new FixedWindows<>(1_000_000, 1);
        int keys = 16;
        int hitsPerThread = 50;
        int hitters = 2;
        try (ExecutorService pool = Executors.newFixedThreadPool(hitters + 1)) {
            for (int step = 1; step <= 200; step++) {
                long now = T0 + step * 10L;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < hitters; t++) {
                    work.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < hitsPerThread; i++) {
                            for (int k = 0; k < keys; k++) {
                                w.hit(k, 10, now);
                            }
                        }
                        return null;
                    }));
                }
                work.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 20; i++) {
                        w.sweep(now);
                    }
                    return null;
                }));
                go.countDown();
                for (Future<?> f : work) {
                    f.get();
                }
                for (int k = 0; k < keys; k++) {
                    assertThat(w.peek(k, now).count()).as("step %d key %d", step, k).isEqualTo(hitters * hitsPerThread);
                }
            }
        }
    }
}
