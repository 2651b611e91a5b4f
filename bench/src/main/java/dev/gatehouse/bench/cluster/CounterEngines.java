package dev.gatehouse.bench.cluster;

import dev.gatehouse.cluster.RedisWindowCounter;
import dev.gatehouse.core.limit.WindowCounters;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.RedisClient;

/**
 * Chooses the engine for the cluster's shared rate-limit counters by measurement: the same hits,
 * back to back, on Redis ({@link RedisWindowCounter}) and on a NATS key-value bucket
 * ({@link NatsKvWindowCounter}), from two "nodes" (each its own client) with several threads each,
 * on one hot key (every request of a token hitting its global limit) and on many keys (per-route
 * buckets). Reports hits/s, latency percentiles, compare-and-set retries, and whether every hit was
 * counted exactly once (each count value seen once per key).
 *
 * <pre>java -cp bench/target/gatehouse-bench.jar dev.gatehouse.bench.cluster.CounterEngines [--hits 20000] [--threads 4] [--out dir]</pre>
 */
public final class CounterEngines {

    record Result(String engine, String keys, long hits, double seconds, double hitsPerSecond, double p50Micros, double p99Micros,
            double p999Micros, long retries, boolean exact) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int hits = Integer.parseInt(opts.getOrDefault("hits", "20000"));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "4"));
        String nats = opts.getOrDefault("nats", "nats://127.0.0.1:4222");
        String redisHost = opts.getOrDefault("redis", "127.0.0.1");
        Path out = Path.of(opts.getOrDefault("out", "bench/results/cluster"));
        String run = UUID.randomUUID().toString().substring(0, 8);

        List<Result> results = new ArrayList<>();
        for (int keys : new int[] {1, 1000}) {
            for (String engine : new String[] {"redis", "nats-kv"}) {
                WindowCounters a = counter(engine, nats, redisHost, run);
                WindowCounters b = counter(engine, nats, redisHost, run);
                hit(a, b, threads, hits / 10, keys, "warm-" + engine + keys); // warm up the JIT and the connections
                results.add(measure(engine, a, b, threads, hits, keys, "k" + keys + "-" + engine));
                a.close();
                b.close();
            }
        }
        StringBuilder json = new StringBuilder("[\n");
        System.out.printf("%-8s %-6s %9s %10s %9s %9s %9s %8s %6s%n", "engine", "keys", "hits", "hits/s", "p50 us", "p99 us", "p999 us",
                "retries", "exact");
        for (Result r : results) {
            System.out.printf("%-8s %-6s %9d %10.0f %9.0f %9.0f %9.0f %8d %6s%n", r.engine(), r.keys(), r.hits(), r.hitsPerSecond(),
                    r.p50Micros(), r.p99Micros(), r.p999Micros(), r.retries(), r.exact());
            json.append(String.format(java.util.Locale.ROOT,
                    "  {\"engine\": \"%s\", \"keys\": %s, \"hits\": %d, \"seconds\": %.3f, \"hits_per_second\": %.0f, \"p50_us\": %.0f,"
                            + " \"p99_us\": %.0f, \"p999_us\": %.0f, \"retries\": %d, \"exact\": %s},%n",
                    r.engine(), r.keys(), r.hits(), r.seconds(), r.hitsPerSecond(), r.p50Micros(), r.p99Micros(), r.p999Micros(), r.retries(),
                    r.exact()));
        }
        json.setLength(json.length() - 2);
        json.append("\n]\n");
        Files.createDirectories(out);
        Files.writeString(out.resolve("counter-engines.json"), json, StandardCharsets.UTF_8);
    }

    static WindowCounters counter(String engine, String nats, String redisHost, String run) throws Exception {
        if (engine.equals("redis")) {
            return new RedisWindowCounter(RedisClient.create(redisHost, 6379), "bench:" + run + ":", System::currentTimeMillis);
        }
        return new NatsKvWindowCounter(Nats.connect(new Options.Builder().server(nats).build()), "bench_counters_" + run);
    }

    static Result measure(String engine, WindowCounters a, WindowCounters b, int threads, int hits, int keys, String prefix) throws Exception {
        long start = System.nanoTime();
        Run r = hit(a, b, threads, hits, keys, prefix);
        double seconds = (System.nanoTime() - start) / 1e9;
        long retries = (a instanceof NatsKvWindowCounter na ? na.retries : 0) + (b instanceof NatsKvWindowCounter nb ? nb.retries : 0);
        return new Result(engine, Integer.toString(keys), hits, seconds, hits / seconds, r.latency.getValueAtPercentile(50) / 1e3,
                r.latency.getValueAtPercentile(99) / 1e3, r.latency.getValueAtPercentile(99.9) / 1e3, retries, r.exact);
    }

    record Run(Histogram latency, boolean exact) {}

    /** {@code hits} hits spread over {@code threads} threads per node and {@code keys} keys, in one long window. */
    static Run hit(WindowCounters a, WindowCounters b, int threads, int hits, int keys, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong next = new AtomicLong();
        Map<String, java.util.Set<Long>> seen = new ConcurrentHashMap<>();
        LongAdder doubled = new LongAdder();
        List<Future<Histogram>> done = new ArrayList<>();
        for (int t = 0; t < threads * 2; t++) {
            WindowCounters node = t % 2 == 0 ? a : b;
            done.add(pool.submit(() -> {
                Histogram h = new Histogram(3_600_000_000L, 3);
                go.await();
                long i;
                while ((i = next.getAndIncrement()) < hits) {
                    String key = prefix + "." + (i % keys); // NATS KV keys allow letters, digits and -/_=.
                    long t0 = System.nanoTime();
                    long count = node.hit(key, 600_000, System.currentTimeMillis()).count();
                    h.recordValue(Math.max(1, System.nanoTime() - t0));
                    if (!seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(count)) {
                        doubled.increment();
                    }
                }
                return h;
            }));
        }
        go.countDown();
        Histogram all = new Histogram(3_600_000_000L, 3);
        for (Future<Histogram> f : done) {
            all.add(f.get());
        }
        pool.shutdown();
        long counted = seen.values().stream().mapToLong(java.util.Set::size).sum();
        return new Run(all, doubled.sum() == 0 && counted == hits);
    }

    private CounterEngines() {}
}
