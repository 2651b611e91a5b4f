package dev.gatehouse.bench.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.bench.BenchApi;
import dev.gatehouse.bench.Options;
import dev.gatehouse.client.gateway.ClientConfig;
import dev.gatehouse.client.gateway.GatewayClient;
import dev.gatehouse.client.gateway.GatewayListener;
import dev.gatehouse.protocol.gateway.VoiceStateUpdate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The voice benchmark's coordinator: {@code channels} voice channels of {@code members} members,
 * {@code speakers} of whom send 50 packets a second, through Gatehouse's relay or, with
 * {@code --relay host:port}, through the {@link BareRelay} floor. Against Gatehouse it makes the
 * accounts, guilds (at most 16 voice channels each: a user holds one voice state per guild) and
 * main gateway sessions (client SDK), joins every member with op 4 and hands the voice grants to
 * the worker processes ({@link VoiceLoadWorker}), which connect over wss and UDP. Reports
 * forwarded packets per second, latency from send to receipt (p50/p99/p999), loss, duplicates and
 * the relay process's CPU per forwarded packet. Exits 1 when a packet was lost or doubled.
 */
public final class VoiceLoad {

    private static final int CHANNELS_PER_GUILD = 16;
    /** Numbers as numbers: the result is for people and charts, not the wire (whose longs are strings). */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private record Worker(Process process, PrintWriter in, LinkedBlockingQueue<String> out) {}

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(args));
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(2); // the SDK's threads would keep a failed run alive; the workers end with us
        }
    }

    private static int run(String[] args) throws Exception {
        Map<String, String> opts = Options.parse(args, Map.ofEntries(Map.entry("url", "http://127.0.0.1:8080"),
                Map.entry("channels", "20"), Map.entry("members", "10"), Map.entry("speakers", "2"),
                Map.entry("seconds", "20"), Map.entry("processes", "2"), Map.entry("cert", ""), Map.entry("relay", ""),
                Map.entry("relay-pid", "0"), Map.entry("warmup", "5"), Map.entry("label", ""), Map.entry("out", "")));
        int channels = Integer.parseInt(opts.get("channels"));
        int members = Integer.parseInt(opts.get("members"));
        int speakers = Integer.parseInt(opts.get("speakers"));
        int seconds = Integer.parseInt(opts.get("seconds"));
        int processes = Math.min(Integer.parseInt(opts.get("processes")), channels);
        boolean bare = !opts.get("relay").isEmpty();

        List<GatewayClient> sessions = new ArrayList<>();
        progress("setting up " + channels + " channels of " + members + " members");
        List<String> grants = bare ? bareGrants(channels, members, speakers)
                : gatehouseGrants(opts.get("url"), channels, members, speakers, sessions);
        // whole channels per worker
        List<Worker> workers = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            List<String> share = new ArrayList<>();
            for (String g : grants) {
                if (Integer.parseInt(g.substring(0, g.indexOf(' '))) % processes == p) {
                    share.add(g);
                }
            }
            Path file = Files.createTempFile("gatehouse-voice-grants", ".txt");
            Files.write(file, share);
            workers.add(start(file, opts));
        }
        for (Worker w : workers) {
            expect(w, "CONNECTED", TimeUnit.MINUTES.toMillis(3));
        }
        progress("all members connected: warming up, then " + seconds + " s measured");
        long pid = Long.parseLong(opts.get("relay-pid"));
        // a first round warms both sides up (JIT, socket buffers); its counts are not kept
        int warmup = Integer.parseInt(opts.get("warmup"));
        if (warmup > 0) {
            for (Worker w : workers) {
                w.in().println("START " + warmup);
            }
            for (Worker w : workers) {
                expect(w, "RESULT", TimeUnit.SECONDS.toMillis(warmup + 60));
            }
        }
        long cpuBefore = cpuNanos(pid);
        long wallBefore = System.nanoTime();
        for (Worker w : workers) {
            w.in().println("START " + seconds);
        }
        Histogram latency = new Histogram(60_000_000L, 3);
        long sent = 0;
        long expected = 0;
        long received = 0;
        long duplicates = 0;
        long verifyFailures = 0;
        long cpuAfter = -1;
        for (Worker w : workers) {
            JsonNode r = PLAIN.readTree(expect(w, "RESULT", TimeUnit.SECONDS.toMillis(seconds + 60)));
            if (cpuAfter < 0) {
                cpuAfter = cpuNanos(pid); // the first result comes 2 s after the senders stop: the relay is done
            }
            sent += r.get("sent").asLong();
            expected += r.get("expected").asLong();
            received += r.get("received").asLong();
            duplicates += r.get("duplicates").asLong();
            verifyFailures += r.get("verify_failures").asLong();
            latency.add(Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(r.get("latency").asText())), 0));
        }
        double measured = seconds; // senders run exactly this long; the drain adds no packets
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("label", opts.get("label").isEmpty() ? (bare ? "bare relay" : "gatehouse") : opts.get("label"));
        result.put("channels", channels);
        result.put("members", members);
        result.put("speakers", speakers);
        result.put("seconds", seconds);
        result.put("sent_packets", sent);
        result.put("forwarded_expected", expected);
        result.put("forwarded_received", received);
        result.put("lost", expected - received);
        result.put("duplicates", duplicates);
        result.put("verify_failures", verifyFailures);
        result.put("forwarded_per_second", Math.round(received / measured));
        result.put("latency_ms_p50", latency.getValueAtPercentile(50) / 1000.0);
        result.put("latency_ms_p99", latency.getValueAtPercentile(99) / 1000.0);
        result.put("latency_ms_p999", latency.getValueAtPercentile(99.9) / 1000.0);
        result.put("latency_ms_max", latency.getMaxValue() / 1000.0);
        if (pid > 0) {
            double cpuSeconds = (cpuAfter - cpuBefore) / 1e9;
            result.put("relay_cpu_seconds", cpuSeconds);
            result.put("relay_cpu_share", cpuSeconds / ((System.nanoTime() - wallBefore) / 1e9));
            result.put("relay_cpu_us_per_forwarded_packet", received == 0 ? 0 : cpuSeconds * 1e6 / received);
        }
        String json = PLAIN.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(json);
        if (!opts.get("out").isEmpty()) {
            Files.writeString(Path.of(opts.get("out")), json + "\n");
        }
        sessions.forEach(GatewayClient::close);
        for (Worker w : workers) {
            w.in().close(); // end of commands: the worker exits
        }
        return expected == received && duplicates == 0 && verifyFailures == 0 ? 0 : 1;
    }

    /** Lines {@code channel slot speaker ssrc} for the bare relay's fixed layout. */
    private static List<String> bareGrants(int channels, int members, int speakers) {
        BenchLayout layout = new BenchLayout(channels, members);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < layout.members(); i++) {
            int slot = i % members;
            lines.add((i / members) + " " + slot + " " + (slot < speakers ? 1 : 0) + " " + layout.ssrc(i));
        }
        return lines;
    }

    /**
     * Accounts, guilds and voice channels, one main gateway session per account and op 4 for every
     * member; lines {@code channel slot speaker endpoint guild user session token}.
     */
    private static List<String> gatehouseGrants(String url, int channels, int members, int speakers,
            List<GatewayClient> sessions) throws Exception {
        BenchApi api = new BenchApi(url);
        String run = UUID.randomUUID().toString().substring(0, 6);
        int columns = Math.min(channels, CHANNELS_PER_GUILD);
        int guilds = (channels + columns - 1) / columns;
        int users = members * columns;
        List<String> tokens = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            JsonNode r = api.call("POST", "/auth/register", null, Map.of("username", "voice_" + run + "_" + i,
                    "password", "voice-password-" + i));
            tokens.add(r.get("token").asText());
            ids.add(api.call("GET", "/users/@me", r.get("token").asText(), null).get("id").asLong());
        }
        long[][] channelIds = new long[guilds][columns];
        long[] guildIds = new long[guilds];
        for (int g = 0; g < guilds; g++) {
            JsonNode guild = api.call("POST", "/guilds", tokens.getFirst(), Map.of("name", "voice " + run + " " + g));
            guildIds[g] = guild.get("id").asLong();
            for (int c = 0; c < columns && g * columns + c < channels; c++) {
                channelIds[g][c] = api.call("POST", "/guilds/" + guildIds[g] + "/channels", tokens.getFirst(),
                        Map.of("name", "voice-" + c, "type", 2)).get("id").asLong();
            }
            String code = api.call("POST", "/channels/" + guild.get("system_channel_id").asText() + "/invites",
                    tokens.getFirst(), Map.of("max_age", 0)).get("code").asText();
            for (String token : tokens.subList(1, tokens.size())) {
                api.call("POST", "/invites/" + code, token, Map.of());
            }
        }
        progress(users + " accounts in " + guilds + " guilds made");
        URI gateway = URI.create(url.replaceFirst("^http", "ws") + "/gateway");
        List<CompletableFuture<String>> sessionIds = new ArrayList<>();
        for (String token : tokens) {
            CompletableFuture<String> sessionId = new CompletableFuture<>();
            sessionIds.add(sessionId);
            sessions.add(GatewayClient.start(ClientConfig.of(gateway, token, 1), new GatewayListener() {
                @Override
                public void onDispatch(String type, JsonNode data, long seq) {
                    if (type.equals("READY")) {
                        sessionId.complete(data.get("session_id").asText());
                    }
                }
            }));
        }
        List<String> lines = new ArrayList<>();
        progress(users + " gateway sessions starting; joining voice");
        for (int u = 0; u < users; u++) {
            String sessionId = sessionIds.get(u).get(60, TimeUnit.SECONDS);
            int slot = u / columns;
            int column = u % columns;
            List<CompletableFuture<JsonNode>> joins = new ArrayList<>();
            List<Integer> joined = new ArrayList<>();
            for (int g = 0; g < guilds; g++) {
                if (g * columns + column < channels) {
                    joins.add(sessions.get(u).updateVoiceState(VoiceStateUpdate.join(guildIds[g], channelIds[g][column])));
                    joined.add(g);
                }
            }
            for (int j = 0; j < joins.size(); j++) {
                JsonNode server = joins.get(j).get(60, TimeUnit.SECONDS);
                int g = joined.get(j);
                lines.add((g * columns + column) + " " + slot + " " + (slot < speakers ? 1 : 0) + " "
                        + server.get("endpoint").asText() + " " + guildIds[g] + " " + ids.get(u) + " " + sessionId + " "
                        + server.get("token").asText());
            }
        }
        return lines;
    }

    private static Worker start(Path grants, Map<String, String> opts) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                VoiceLoadWorker.class.getName(), "--grants", grants.toString(), "--cert", opts.get("cert"),
                "--relay", opts.get("relay"));
        Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    out.add(line);
                }
            } catch (IOException e) {
                out.add("ERROR " + e);
            }
            try {
                out.add("EXITED " + process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return new Worker(process, new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8), out);
    }

    /** The rest of the worker's next line starting with {@code key}; fails on anything else. */
    private static String expect(Worker w, String key, long timeoutMs) throws InterruptedException {
        String line = w.out().poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (line == null || !line.startsWith(key)) {
            throw new IllegalStateException("worker said " + line + " instead of " + key);
        }
        return line.substring(key.length()).trim();
    }

    private static void progress(String what) {
        System.err.println("[voice-load] " + what);
    }

    /** User and system CPU of a process, from /proc (clock ticks of 10 ms). */
    private static long cpuNanos(long pid) throws IOException {
        if (pid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }
}
