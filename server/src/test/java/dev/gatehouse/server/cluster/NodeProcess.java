package dev.gatehouse.server.cluster;

import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.store.DatabaseConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cluster node as its own process: {@code gatehouse serve --cluster} in a JVM of its own,
 * on a free port, over the test's database and NATS, its output in a file under {@code target/}.
 * Limits are off unless a test turns them on: most reconnect one bot faster than identify limits allow.
 */
final class NodeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Gatehouse is listening on (\\S+)");

    final String name;
    final String baseUrl;
    final ApiClient api;
    private final Process process;
    private final Path log;

    private NodeProcess(String name, String baseUrl, Process process, Path log) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.api = new ApiClient(baseUrl);
        this.process = process;
        this.log = log;
    }

    /** A node with its limits off. */
    static NodeProcess start(String name, String role, String natsUrl, DatabaseConfig db) throws IOException, InterruptedException {
        return start(name, role, natsUrl, db, List.of("--no-rate-limits", "--no-identify-limits"));
    }

    static NodeProcess start(String name, String role, String natsUrl, DatabaseConfig db, List<String> options)
            throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath, "dev.gatehouse.server.cli.Main", "serve",
                "--host", "127.0.0.1", "--port", "0", "--no-tls", "--no-voice",
                "--cluster", natsUrl, "--role", role, "--node-name", name,
                "--database-url", db.url(), "--database-user", db.user(), "--database-password", db.password(),
                "--database-schema", db.schema(), "--database-pool", "6"));
        command.addAll(options);
        Path log = Files.createDirectories(Path.of("target", "cluster-logs")).resolve(name + "-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("GATEHOUSE_LOG_LEVEL", "WARN");
        Process process = builder.start();
        // whatever a failed test left running dies with the test JVM, not minutes or sessions later
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return new NodeProcess(name, m.group(1), process, log);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + name + " exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("node " + name + " did not start: " + Files.readString(log));
    }

    String gatewayUrl() {
        return baseUrl.replaceFirst("^http", "ws");
    }

    /** {@code kill -9}: no drain, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an operator's stop: the node drains and exits. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
