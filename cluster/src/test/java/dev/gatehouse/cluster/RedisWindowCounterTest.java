package dev.gatehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.limit.WindowCounters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Shared window counters against the real Redis (127.0.0.1:6379; CI starts it): two nodes, one count. */
class RedisWindowCounterTest {

    static final String HOST = System.getProperty("gatehouse.test.redis.host", "127.0.0.1");

    final String prefix = "test:" + UUID.randomUUID() + ":";
    final List<RedisWindowCounter> nodes = new ArrayList<>();

    RedisWindowCounter node() {
        RedisWindowCounter c = new RedisWindowCounter(RedisClient.create(HOST, 6379), prefix, System::currentTimeMillis);
        nodes.add(c);
        return c;
    }

    @AfterEach
    void close() {
        nodes.forEach(RedisWindowCounter::close);
    }

    @Test
    void hitsFromTwoNodesCountOnceEachInOneWindow() throws Exception {
        RedisWindowCounter a = node();
        RedisWindowCounter b = node();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Long>>> counts = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            RedisWindowCounter node = t % 2 == 0 ? a : b;
            counts.add(pool.submit(() -> {
                go.await();
                List<Long> seen = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                    seen.add(node.hit("bucket", 60_000, System.currentTimeMillis()).count());
                }
                return seen;
            }));
        }
        go.countDown();
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> f : counts) {
            for (long c : f.get()) {
                assertThat(all.add(c)).as("count %d seen twice", c).isTrue();
            }
        }
        pool.shutdown();
        assertThat(all).hasSize(2_000);
        assertThat(all).contains(1L, 2_000L);
    }

    @Test
    void aWindowClosesAndTheCountStartsOver() throws Exception {
        RedisWindowCounter a = node();
        long before = System.currentTimeMillis();
        WindowCounters.Window first = a.hit("short", 300, before);
        assertThat(first.count()).isEqualTo(1);
        assertThat(first.resetAt()).isBetween(before, System.currentTimeMillis() + 300);
        RedisWindowCounter b = node();
        assertThat(b.hit("short", 300, System.currentTimeMillis()).count()).as("the other node sees the same window").isEqualTo(2);
        assertThat(b.peek("short", System.currentTimeMillis()).count()).as("a peek counts nothing").isEqualTo(2);
        Thread.sleep(400);
        assertThat(a.peek("short", System.currentTimeMillis())).as("closed").isNull();
        assertThat(a.hit("short", 300, System.currentTimeMillis()).count()).isEqualTo(1);
        assertThat(a.hit("other", 300, System.currentTimeMillis()).count()).as("keys are apart").isEqualTo(1);
        b.forget("other");
        assertThat(a.peek("other", System.currentTimeMillis())).as("forgotten on every node").isNull();
    }
}
