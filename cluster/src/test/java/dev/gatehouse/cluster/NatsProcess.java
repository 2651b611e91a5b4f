package dev.gatehouse.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A NATS server of a test's own (JetStream on, a port and a store directory of its own), for what
 * must not touch the machine's shared one: stopping and restarting it under running nodes. The
 * binary is the one the machine's NATS runs; missing, the test fails.
 */
public final class NatsProcess implements AutoCloseable {

    static final String BINARY = System.getProperty("gatehouse.test.nats.server", "/usr/sbin/nats-server");

    private final int port;
    private final Path store;
    private Process process;

    private NatsProcess(int port, Path store) {
        this.port = port;
        this.store = store;
    }

    public static NatsProcess start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        NatsProcess nats = new NatsProcess(port, Files.createTempDirectory("gatehouse-nats-"));
        nats.restart();
        return nats;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the server (again, on the same port and store) and waits until it takes connections. */
    public void restart() throws IOException, InterruptedException {
        // its log goes under target/, appended across restarts, for when a test fails
        Path log = Files.createDirectories(Path.of("target", "nats-logs")).resolve("nats-" + port + ".log");
        process = new ProcessBuilder(List.of(BINARY, "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd",
                store.toString())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nats-server did not come up on port " + port);
    }

    /** Kills the server at once, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Kills the server and deletes its store. */
    @Override
    public void close() throws InterruptedException {
        kill();
        try (var files = Files.walk(store)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left for the system to clean
        }
    }
}
