package dev.gatehouse.bench;

import dev.gatehouse.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The gateway load generator's coordinator. Against a running server (started with rate and
 * identify limits off) it makes one guild and its member accounts, starts worker processes that
 * open the sessions with the client SDK ({@link GatewayLoadWorker}), measures the server's heap and
 * RSS per idle identified session, then posts numbered messages at a fixed rate (optionally while
 * sessions reconnect and resume: churn) and reports fan-out deliveries per second, the latency from
 * POST to receipt (p50/p99/p999) across every session, messages lost or delivered twice, and the
 * reconnections. Exits 1 when anything was lost or duplicated.
 *
 * <p>With {@code --drain-pid} (a cluster node's process, its base URL in {@code --drain-url}) the
 * node gets SIGTERM halfway through the messages: its sessions move to the other nodes, and the
 * report says how many moved and how long until the last of them had resumed, besides the usual
 * losses and duplicates (which must still be none) and re-identifies (which must be none too).
 * {@code --ws} connects the sessions somewhere else than {@code --url} (all to the node to drain,
 * while {@code --url} is the balancer).
 */
public final class GatewayLoad {

    private record Worker(Process process, PrintWriter in, Map<String, String> last) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Options.parse(args, Map.ofEntries(
                Map.entry("url", "http://127.0.0.1:8080"), Map.entry("sessions", "1000"), Map.entry("processes", "2"),
                Map.entry("users", "20"), Map.entry("messages", "50"), Map.entry("rate", "10"),
                Map.entry("compress", "none"), Map.entry("version", "10"), Map.entry("server-pid", "0"),
                Map.entry("jcmd", "jcmd"), Map.entry("label", ""), Map.entry("churn", "0"), Map.entry("out", ""),
                Map.entry("settle", "45"), Map.entry("ws", ""), Map.entry("drain-pid", "0"), Map.entry("drain-url", ""),
                Map.entry("connect-rate", "0")));
        int sessions = Integer.parseInt(opts.get("sessions"));
        int processes = Integer.parseInt(opts.get("processes"));
        long serverPid = Long.parseLong(opts.get("server-pid"));
        String url = opts.get("url");
        BenchApi api = new BenchApi(url);
        ServerProbe probe = new ServerProbe(serverPid, opts.get("jcmd"));

        String run = UUID.randomUUID().toString().substring(0, 6);
        BenchApi.World world = api.world(run, Integer.parseInt(opts.get("users")));
        Path tokens = Files.createTempFile("gatehouse-tokens", ".txt");
        Files.write(tokens, world.tokens());
        ServerProbe.Memory before = probe.memory();

        long started = System.nanoTime();
        List<Worker> workers = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            int share = sessions / processes + (p < sessions % processes ? 1 : 0);
            workers.add(startWorker(opts, tokens, share, Double.parseDouble(opts.get("churn")) / processes));
        }
        long identified = awaitAll(workers, "IDENTIFIED", TimeUnit.MINUTES.toMillis(10));
        double identifySeconds = (System.nanoTime() - started) / 1e9;
        // one heartbeat interval: every session has acknowledged its READY and GUILD_CREATE, which
        // the server holds for a resume until then, so the memory read is the steady state
        Thread.sleep(Long.parseLong(opts.get("settle")) * 1000);
        ServerProbe.Memory after = probe.memory();

        // warm-up, then measure from a clean slate
        post(api, world, 5, 5, "warm");
        Thread.sleep(2_000);
        for (Worker w : workers) {
            w.in().println("RESET");
        }
        awaitAll(workers, "RESET", 10_000);
        for (Worker w : workers) {
            w.in().println("CHURN");
        }
        awaitAll(workers, "CHURN", 10_000);
        int messages = Integer.parseInt(opts.get("messages"));
        double rate = Double.parseDouble(opts.get("rate"));
        long drainPid = Long.parseLong(opts.get("drain-pid"));
        Drain drain = drainPid > 0 ? new Drain(drainPid, opts.get("drain-url"), workers) : null;
        if (drain != null) {
            // halfway through the messages, while they stream in
            Thread.ofVirtual().start(() -> drain.run((long) (messages / rate * 500)));
        }
        long cpuBefore = probe.cpuNanos();
        long postStarted = System.nanoTime();
        int failed = post(api, world, messages, rate, "bench");
        double postSeconds = (System.nanoTime() - postStarted) / 1e9;
        if (drain != null) {
            drain.awaitDone(); // the workers report (and exit) only once every moved session has resumed
        }
        long expected = (long) (messages - failed) * identified;
        awaitDeliveries(workers, expected, 30_000);
        long cpuAfter = probe.cpuNanos();
        long cpuNanos = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;

        Histogram latency = new Histogram(60_000_000L, 3);
        Histogram identify = new Histogram(300_000_000L, 3);
        long deliveries = 0;
        long first = Long.MAX_VALUE;
        long last = 0;
        long distinct = 0;
        long duplicates = 0;
        long resumed = 0;
        long reidentified = 0;
        long churned = 0;
        Map<String, Long> closes = new LinkedHashMap<>();
        for (Worker w : workers) {
            w.in().println("REPORT");
        }
        for (Worker w : workers) {
            var report = Json.mapper().readTree(awaitLine(w, "REPORT", 30_000));
            deliveries += report.get("deliveries").asLong();
            first = Math.min(first, report.get("first_delivery_us").asLong());
            last = Math.max(last, report.get("last_delivery_us").asLong());
            distinct += report.get("distinct").asLong();
            duplicates += report.get("duplicates").asLong();
            resumed += report.get("resumed").asLong();
            reidentified += report.get("reidentified").asLong();
            churned += report.get("churned").asLong();
            report.get("closes").properties().forEach(e -> closes.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            latency.add(decode(report.get("histogram").asText()));
            identify.add(decode(report.get("identify_histogram").asText()));
            w.process().waitFor(10, TimeUnit.SECONDS);
            w.process().destroy();
        }
        Files.deleteIfExists(tokens);

        Map<String, Object> out = new LinkedHashMap<>();
        if (!opts.get("label").isEmpty()) {
            out.put("label", opts.get("label"));
        }
        out.put("sessions", identified);
        out.put("processes", processes);
        out.put("compress", opts.get("compress"));
        out.put("churn_per_s", Double.parseDouble(opts.get("churn")));
        out.put("identify_seconds", round(identifySeconds));
        out.put("ready_per_s", Math.round(identified / identifySeconds));
        Map<String, Object> identifyPercentiles = new LinkedHashMap<>();
        identifyPercentiles.put("p50", ms(identify.getValueAtPercentile(50)));
        identifyPercentiles.put("p99", ms(identify.getValueAtPercentile(99)));
        identifyPercentiles.put("max", ms(identify.getMaxValue()));
        out.put("identify_latency_ms", identifyPercentiles);
        if (serverPid > 0) {
            out.put("server_heap_bytes_per_session", (after.heapBytes() - before.heapBytes()) / Math.max(1, identified));
            out.put("server_rss_bytes_per_session", (after.rssBytes() - before.rssBytes()) / Math.max(1, identified));
            out.put("server_heap_mb", after.heapBytes() >> 20);
            out.put("server_rss_mb", after.rssBytes() >> 20);
        }
        out.put("messages", messages);
        out.put("post_failures", failed);
        out.put("post_rate_per_s", round(messages / postSeconds));
        out.put("deliveries", deliveries);
        out.put("deliveries_expected", expected);
        out.put("lost", expected - distinct);
        out.put("duplicates", duplicates);
        out.put("reconnects", churned);
        out.put("resumes", resumed);
        out.put("reidentifies", reidentified);
        double span = (last - first) / 1e6;
        out.put("delivery_span_s", round(span));
        out.put("deliveries_per_s", span > 0 ? Math.round(deliveries / span) : 0);
        if (cpuNanos >= 0) {
            // the server's CPU (user and system) from the first post until the last delivery, per delivery
            out.put("server_cpu_us_per_delivery", round(cpuNanos / 1e3 / Math.max(1, deliveries)));
        }
        Map<String, Object> percentiles = new LinkedHashMap<>();
        percentiles.put("p50", ms(latency.getValueAtPercentile(50)));
        percentiles.put("p99", ms(latency.getValueAtPercentile(99)));
        percentiles.put("p999", ms(latency.getValueAtPercentile(99.9)));
        percentiles.put("max", ms(latency.getMaxValue()));
        out.put("latency_ms", percentiles);
        if (drain != null) {
            out.put("drain", drain.report());
        }
        out.put("client_closes", closes);
        out.put("latency_curve_ms", curve(latency));
        // a plain mapper: the shared one writes longs as strings, as the wire protocol does
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
        System.out.println(json);
        if (!opts.get("out").isEmpty()) {
            Files.writeString(Path.of(opts.get("out")), json + "\n");
        }
        System.exit(expected - distinct == 0 && duplicates == 0 ? 0 : 1);
    }

    /** Latency at percentiles from 0 to 99.999 (for the chart: x is the percentile, y milliseconds). */
    private static List<double[]> curve(Histogram h) {
        List<double[]> points = new ArrayList<>();
        for (double p : new double[] {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999}) {
            points.add(new double[] {p, ms(h.getValueAtPercentile(p))});
        }
        points.add(new double[] {100, ms(h.getMaxValue())});
        return points;
    }

    /**
     * Posts at a fixed rate from one thread per pending request; returns how many failed. Each
     * message says its number and when it was posted: {@code <prefix>-<n>-at-<micros>}.
     */
    private static int post(BenchApi api, BenchApi.World world, int messages, double rate, String prefix) throws InterruptedException {
        long intervalNanos = (long) (1e9 / rate);
        long next = System.nanoTime();
        List<Thread> posters = new ArrayList<>();
        int[] failed = {0};
        for (int i = 0; i < messages; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += intervalNanos;
            String token = world.tokens().get(i % world.tokens().size());
            int n = i;
            posters.add(Thread.ofVirtual().start(() -> {
                byte[] body = Json.bytes(Map.of("content", prefix + "-" + n + "-at-" + LoadStats.nowMicros()));
                if (api.post("/channels/" + world.channelId() + "/messages", token, body) != 200) {
                    synchronized (failed) {
                        failed[0]++;
                    }
                }
            }));
        }
        for (Thread t : posters) {
            t.join();
        }
        return failed[0];
    }

    private static Worker startWorker(Map<String, String> opts, Path tokens, int sessions, double churn) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx1500m", "--enable-native-access=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                GatewayLoadWorker.class.getName(), "--ws", opts.get("ws").isEmpty() ? opts.get("url").replaceFirst("^http", "ws")
                        : opts.get("ws"), "--tokens", tokens.toString(),
                "--sessions", Integer.toString(sessions), "--compress", opts.get("compress"), "--version", opts.get("version"),
                "--churn", Double.toString(churn), "--connect-rate", opts.get("connect-rate"));
        Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> last = new ConcurrentHashMap<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    int space = line.indexOf(' ');
                    last.put(space < 0 ? line : line.substring(0, space), space < 0 ? "" : line.substring(space + 1));
                }
            } catch (IOException e) {
                last.put("ERROR", e.toString());
            }
        });
        return new Worker(process, new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true), last);
    }

    private static String awaitLine(Worker w, String key, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            String v = w.last().remove(key);
            if (v != null) {
                return v;
            }
            if (!w.process().isAlive()) {
                throw new IllegalStateException("load worker exited with " + w.process().exitValue());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no " + key + " from a load worker within " + timeoutMs + " ms");
    }

    private static long awaitAll(List<Worker> workers, String key, long timeoutMs) throws InterruptedException {
        long sum = 0;
        for (Worker w : workers) {
            String v = awaitLine(w, key, timeoutMs);
            sum += v.isEmpty() ? 0 : Long.parseLong(v.trim());
        }
        return sum;
    }

    /** Waits until the workers saw every delivery, or nothing moved for {@code quietMs}. */
    private static void awaitDeliveries(List<Worker> workers, long expected, long quietMs) throws InterruptedException {
        long seen = -1;
        long lastChange = System.currentTimeMillis();
        while (System.currentTimeMillis() - lastChange < quietMs) {
            long now = 0;
            for (Worker w : workers) {
                String p = w.last().get("PROGRESS");
                now += p == null ? 0 : Long.parseLong(p.split(" ")[1]);
            }
            if (now >= expected) {
                return;
            }
            if (now != seen) {
                seen = now;
                lastChange = System.currentTimeMillis();
            }
            Thread.sleep(100);
        }
    }

    /** The sessions' resumes so far, over all workers (the third number of their PROGRESS). */
    private static long resumed(List<Worker> workers) {
        long sum = 0;
        for (Worker w : workers) {
            String p = w.last().get("PROGRESS");
            String[] parts = p == null ? new String[0] : p.split(" ");
            sum += parts.length > 2 ? Long.parseLong(parts[2]) : 0;
        }
        return sum;
    }

    /**
     * SIGTERM to a cluster node after a delay, then the time until as many sessions resumed as the
     * node had ({@code gatehouse_gateway_sessions} on its /metrics just before).
     */
    private static final class Drain {
        private final long pid;
        private final String url;
        private final List<Worker> workers;
        private volatile long resumedBefore;
        private volatile long moved = -1;
        private volatile double seconds = -1;
        private volatile boolean done;

        Drain(long pid, String url, List<Worker> workers) {
            this.pid = pid;
            this.url = url;
            this.workers = workers;
        }

        void run(long delayMillis) {
            try {
                Thread.sleep(delayMillis);
                // resumes counted first: a session that leaves the node between the two reads (a
                // zombie connection resuming elsewhere) must not count as moved and never resumed
                resumedBefore = resumed(workers);
                moved = sessionsOn(url);
                long started = System.nanoTime();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                long deadline = started + TimeUnit.MINUTES.toNanos(5);
                while (resumed(workers) - resumedBefore < moved && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                seconds = (System.nanoTime() - started) / 1e9;
            } catch (InterruptedException | IOException e) {
                seconds = -1;
            } finally {
                done = true;
            }
        }

        void awaitDone() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
            while (!done && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        Map<String, Object> report() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("sessions_moved", moved);
            r.put("resumed", resumed(workers) - resumedBefore);
            r.put("seconds_until_all_resumed", round(seconds));
            return r;
        }

        private static long sessionsOn(String url) throws IOException, InterruptedException {
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("gatehouse_gateway_sessions ")) {
                    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            throw new IOException("no gatehouse_gateway_sessions on " + url + "/metrics");
        }
    }

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    private static Histogram decode(String base64) throws DataFormatException {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * Reads the server's process, whatever server it is (Gatehouse or the floor): heap in use after
     * a full GC (jcmd), RSS and CPU time from /proc.
     */
    private record ServerProbe(long pid, String jcmd) {

        private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

        record Memory(long heapBytes, long rssBytes) {}

        Memory memory() throws IOException, InterruptedException {
            if (pid <= 0) {
                return new Memory(0, 0);
            }
            run("GC.run");
            Thread.sleep(500);
            Matcher used = HEAP_USED.matcher(run("GC.heap_info"));
            long heap = used.find() ? Long.parseLong(used.group(1)) * 1024 : 0;
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return new Memory(heap, rss);
        }

        /** User and system CPU time the server used so far; -1 when there is no pid or the process is gone (a drained node). */
        long cpuNanos() throws IOException {
            Path file = Path.of("/proc", Long.toString(pid), "stat");
            if (pid <= 0 || !Files.exists(file)) {
                return -1;
            }
            String stat;
            try {
                stat = Files.readString(file);
            } catch (NoSuchFileException gone) {
                return -1;
            }
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            return ticks * (1_000_000_000L / CLOCK_TICKS);
        }

        private String run(String command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        }
    }

    /** Linux's USER_HZ, in which /proc counts CPU time: 100 on every common kernel. */
    private static final long CLOCK_TICKS = 100;
}
