package dev.gatehouse.bench;

import dev.gatehouse.client.gateway.ClientConfig;
import dev.gatehouse.client.gateway.GatewayClient;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.compress.Compression;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One load process, built on the client SDK: opens its share of gateway sessions (a process may
 * hold at most 20,000 open files here, so a run spreads over several), optionally makes some of
 * them reconnect and resume at a steady rate (churn), and counts deliveries, losses and duplicates.
 * Talks to the coordinator in lines: prints PROGRESS, IDENTIFIED n; reads CHURN (start churning),
 * RESET (forget the warm-up) and REPORT (print the stats as JSON, then exit).
 */
public final class GatewayLoadWorker {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Options.parse(args, Map.of("ws", "", "tokens", "", "sessions", "100", "compress", "none",
                "intents", "33281", "version", "10", "concurrent-identifies", "64", "churn", "0", "connect-rate", "0"));
        List<String> tokens = Files.readAllLines(Path.of(opts.get("tokens")));
        int sessions = Integer.parseInt(opts.get("sessions"));
        Compression compression = Compression.ofQuery(opts.get("compress").equals("none") ? null : opts.get("compress")).orElseThrow();
        long intents = Long.parseLong(opts.get("intents"));
        int window = Integer.parseInt(opts.get("concurrent-identifies"));
        double churnPerSecond = Double.parseDouble(opts.get("churn"));
        // sessions started per second (0: as fast as the window of concurrent identifies lets them)
        double connectRate = Double.parseDouble(opts.get("connect-rate"));
        Dialect dialect = opts.get("version").equals("1") ? Dialect.FLUXER : Dialect.DISCORD;
        URI gateway = URI.create(opts.get("ws") + "/gateway");

        LoadStats stats = new LoadStats();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        List<GatewayClient> clients = new ArrayList<>(sessions);
        List<SessionTracker> trackers = new ArrayList<>(sessions);
        Thread progress = Thread.ofPlatform().daemon().start(() -> reportProgress(stats));
        Thread churn = null;
        try {
            long startedAt = System.nanoTime();
            for (int n = 0; n < sessions; n++) {
                if (connectRate > 0) {
                    long due = startedAt + (long) (n * 1e9 / connectRate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                } else {
                    while (n - stats.identified.sum() - stats.stopped.sum() >= window) {
                        Thread.sleep(2);
                    }
                }
                ClientConfig config = ClientConfig.of(gateway, tokens.get(n % tokens.size()), intents).withDialect(dialect)
                        .withCompression(compression);
                SessionTracker tracker = new SessionTracker(stats);
                trackers.add(tracker);
                clients.add(GatewayClient.start(config, tracker, null, group));
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (stats.identified.sum() + stats.stopped.sum() < sessions && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            System.out.println("IDENTIFIED " + stats.identified.sum());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                switch (line) {
                    case "RESET" -> {
                        trackers.forEach(SessionTracker::reset);
                        stats.reset();
                        System.out.println("RESET");
                    }
                    case "CHURN" -> {
                        if (churnPerSecond > 0 && churn == null) {
                            churn = Thread.ofPlatform().daemon().start(() -> churn(clients, stats, churnPerSecond));
                        }
                        System.out.println("CHURN");
                    }
                    case "REPORT" -> {
                        if (churn != null) {
                            churn.interrupt();
                        }
                        long distinct = trackers.stream().mapToLong(SessionTracker::distinct).sum();
                        System.out.println("REPORT " + Json.string(report(stats, distinct)));
                        return;
                    }
                    default -> System.err.println("load worker: unknown command " + line);
                }
            }
        } finally {
            progress.interrupt();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /** Makes random sessions leave their connection and resume on a new one, {@code perSecond} of them. */
    private static void churn(List<GatewayClient> clients, LoadStats stats, double perSecond) {
        long intervalNanos = (long) (1e9 / perSecond);
        long next = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            long wait = next - System.nanoTime();
            try {
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            } catch (InterruptedException e) {
                return;
            }
            next += intervalNanos;
            clients.get(ThreadLocalRandom.current().nextInt(clients.size())).reconnect();
            stats.churned.increment();
        }
    }

    private static void reportProgress(LoadStats stats) {
        long lastDelivered = -1;
        long lastIdentified = -1;
        long lastResumed = -1;
        while (true) {
            long d = stats.deliveries.sum();
            long i = stats.identified.sum();
            long r = stats.resumed.sum();
            if (d != lastDelivered || i != lastIdentified || r != lastResumed) {
                System.out.println("PROGRESS " + i + " " + d + " " + r);
                lastDelivered = d;
                lastIdentified = i;
                lastResumed = r;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    private static Map<String, Object> report(LoadStats stats, long distinct) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("identified", stats.identified.sum());
        r.put("deliveries", stats.deliveries.sum());
        r.put("distinct", distinct);
        r.put("duplicates", stats.duplicates.sum());
        r.put("resumed", stats.resumed.sum());
        r.put("reidentified", stats.reidentified.sum());
        r.put("churned", stats.churned.sum());
        r.put("stopped", stats.stopped.sum());
        r.put("first_delivery_us", stats.firstDelivery.get());
        r.put("last_delivery_us", stats.lastDelivery.get());
        Map<String, Long> closes = new LinkedHashMap<>();
        stats.closes.forEach((code, count) -> closes.put(Integer.toString(code), count.sum()));
        r.put("closes", closes);
        r.put("histogram", encode(stats.latency.getIntervalHistogram()));
        r.put("identify_histogram", encode(stats.identifyLatency.getIntervalHistogram()));
        return r;
    }
}
