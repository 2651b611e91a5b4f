package dev.gatehouse.bench;

import dev.gatehouse.protocol.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load program for {@code POST /api/v10/channels/{id}/messages} against a running server (start it
 * with {@code --no-rate-limits}: the per-channel limit of 5 per 5 s would otherwise be what is
 * measured). It registers {@code users} accounts, one guild with {@code channels} text channels,
 * joins everyone by invite, then runs {@code concurrency} closed-loop workers for the warm-up and
 * the measured duration, each worker posting as one user to one channel round-robin. Prints one
 * JSON object: requests per second and latency percentiles in milliseconds.
 *
 * <pre>java -jar bench/target/gatehouse-bench.jar --url http://127.0.0.1:8080 --concurrency 32 --seconds 30</pre>
 */
public final class MessageLoad {

    private final BenchApi api;

    MessageLoad(String url) {
        this.api = new BenchApi(url);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Options.parse(args, Map.of(
                "url", "http://127.0.0.1:8080", "users", "16", "channels", "8", "concurrency", "32",
                "warmup", "5", "seconds", "20", "label", ""));
        MessageLoad load = new MessageLoad(opts.get("url"));
        Map<String, Object> result = load.run(Integer.parseInt(opts.get("users")), Integer.parseInt(opts.get("channels")),
                Integer.parseInt(opts.get("concurrency")), Integer.parseInt(opts.get("warmup")), Integer.parseInt(opts.get("seconds")));
        if (!opts.get("label").isEmpty()) {
            Map<String, Object> labelled = new LinkedHashMap<>();
            labelled.put("label", opts.get("label"));
            labelled.putAll(result);
            result = labelled;
        }
        System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
    }

    Map<String, Object> run(int users, int channels, int concurrency, int warmupSeconds, int seconds) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        BenchApi.World world = api.world(run, users);
        List<String> tokens = world.tokens();
        List<String> channelIds = new ArrayList<>();
        channelIds.add(world.channelId());
        for (int i = 1; i < channels; i++) {
            channelIds.add(api.call("POST", "/guilds/" + world.guildId() + "/channels", tokens.getFirst(),
                    Map.of("name", "load-" + i, "type", 0)).get("id").asText());
        }

        Recorder recorder = new Recorder(3);
        LongAdder ok = new LongAdder();
        Map<Integer, LongAdder> failures = new ConcurrentHashMap<>();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong sequence = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int w = 0; w < concurrency; w++) {
            String token = tokens.get(w % tokens.size());
            String channel = channelIds.get(w % channelIds.size());
            Thread.ofVirtual().start(() -> {
                try {
                    while (!stop.get()) {
                        long n = sequence.incrementAndGet();
                        byte[] body = Json.bytes(Map.of("content", "load message " + n, "nonce", Long.toString(n)));
                        long start = System.nanoTime();
                        int status = api.post("/channels/" + channel + "/messages", token, body);
                        long micros = (System.nanoTime() - start) / 1_000;
                        if (measuring.get()) {
                            if (status == 200) {
                                ok.increment();
                                recorder.recordValue(micros);
                            } else {
                                failures.computeIfAbsent(status, s -> new LongAdder()).increment();
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        Thread.sleep(warmupSeconds * 1000L);
        recorder.reset();
        measuring.set(true);
        long started = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - started) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        stop.set(true);
        done.await();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("route", "POST /api/v10/channels/{id}/messages");
        out.put("users", users);
        out.put("channels", channels);
        out.put("concurrency", concurrency);
        out.put("seconds", Math.round(elapsed * 10) / 10.0);
        out.put("requests", ok.intValue());
        out.put("requests_per_second", (int) Math.round(ok.sum() / elapsed));
        out.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
        out.put("p90_ms", h.getValueAtPercentile(90) / 1000.0);
        out.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
        out.put("p999_ms", h.getValueAtPercentile(99.9) / 1000.0);
        out.put("max_ms", h.getMaxValue() / 1000.0);
        Map<String, Integer> failed = new LinkedHashMap<>();
        failures.forEach((status, count) -> failed.put(Integer.toString(status), count.intValue()));
        out.put("failures_by_status", failed);
        return out;
    }
}
