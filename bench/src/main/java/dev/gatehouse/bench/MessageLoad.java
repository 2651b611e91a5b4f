package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    MessageLoad(String url) {
        this.base = url + "/api/v10";
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>(Map.of(
                "url", "http://127.0.0.1:8080", "users", "16", "channels", "8", "concurrency", "32",
                "warmup", "5", "seconds", "20", "label", ""));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !opts.containsKey(args[i].substring(2))) {
                System.err.println("unknown option " + args[i] + "; options: " + opts.keySet());
                System.exit(2);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
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
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            JsonNode r = call("POST", "/auth/register", null, Map.of("username", "load_" + run + "_" + i, "password", "load-password-" + i));
            tokens.add(r.get("token").asText());
        }
        String owner = tokens.getFirst();
        JsonNode guild = call("POST", "/guilds", owner, Map.of("name", "load " + run));
        String guildId = guild.get("id").asText();
        List<String> channelIds = new ArrayList<>();
        channelIds.add(guild.get("system_channel_id").asText());
        for (int i = 1; i < channels; i++) {
            channelIds.add(call("POST", "/guilds/" + guildId + "/channels", owner, Map.of("name", "load-" + i, "type", 0)).get("id").asText());
        }
        if (users > 1) {
            String code = call("POST", "/channels/" + channelIds.getFirst() + "/invites", owner, Map.of("max_age", 0)).get("code").asText();
            for (String token : tokens.subList(1, tokens.size())) {
                call("POST", "/invites/" + code, token, Map.of());
            }
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
                        int status = post("/channels/" + channel + "/messages", token, body);
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

    private int post(String path, String token, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -2;
        }
    }

    private JsonNode call(String method, String path, String token, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        ObjectNode empty = Json.mapper().createObjectNode();
        return r.body().isEmpty() ? empty : Json.mapper().readTree(r.body());
    }
}
