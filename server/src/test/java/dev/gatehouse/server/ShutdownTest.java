package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.LogCapture;
import dev.gatehouse.server.testing.TestDatabases;
import dev.gatehouse.store.DatabaseConfig;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    /**
     * Logins hash a password (Argon2, tens of ms each), so a burst of them is still running when
     * close() starts. Every one must be answered, and the port must refuse connections after.
     */
    @Test
    void requestsInFlightWhenCloseStartsAreAnsweredThenTheServerRefusesConnections() throws Exception {
        DatabaseConfig database = TestDatabases.fresh();
        GatehouseServer server = GatehouseServer.start(ServerConfig.defaults(database).withHost("127.0.0.1").withPort(0)
                .withRateLimits(false));
        int port = server.port();
        try (LogCapture log = LogCapture.of(GatehouseServer.class.getName(), Level.INFO)) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + port);
            ApiClient.Account alice = api.register("draining");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] login = Json.bytes(Map.of("login", alice.username(), "password", "password-" + alice.username()));
            int connectedBefore = server.openConnections();
            List<CompletableFuture<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                logins.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v10/auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(login)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // all eight connected (a connection still in the listen backlog is reset when the
            // port closes: no server can answer it) and the first requests are running
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((server.openConnections() < connectedBefore + 8 || server.inFlight() < 1) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(server.openConnections()).isEqualTo(connectedBefore + 8);
            assertThat(server.inFlight()).as("requests in flight before close").isGreaterThanOrEqualTo(1);

            server.close();

            assertThat(server.inFlight()).isZero();
            int toldToClose = 0;
            for (CompletableFuture<HttpResponse<String>> f : logins) {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(Json.mapper().readTree(r.body()).get("token").asText()).isNotEmpty();
                toldToClose += r.headers().firstValue("connection").filter("close"::equalsIgnoreCase).isPresent() ? 1 : 0;
            }
            assertThat(toldToClose).as("answers given while draining say Connection: close").isGreaterThanOrEqualTo(1);
            ILoggingEvent stopped = log.events().stream().filter(e -> e.getFormattedMessage().equals("gatehouse stopped"))
                    .findFirst().orElseThrow();
            assertThat(Integer.parseInt(LogCapture.keyValues(stopped).get("busy"))).as("connections close() waited for")
                    .isGreaterThanOrEqualTo(1);
            assertThat(LogCapture.keyValues(stopped)).containsEntry("abandoned", "0");

            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                }
            }).isInstanceOf(ConnectException.class);
            HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);

            server.close(); // a second close (the shutdown hook after a test's own) does nothing
        } finally {
            server.close();
            if (database.schema() != null) {
                TestDatabases.drop(database);
            }
        }
    }

    /**
     * A keep-alive connection that has been answered is closed as soon as close() starts; one that
     * was accepted but has not sent its first request yet gets a grace second to send it.
     */
    @Test
    void idleConnectionsCloseAtOnceAndSilentOnesAfterAGrace() throws Exception {
        DatabaseConfig database = TestDatabases.fresh();
        GatehouseServer server = GatehouseServer.start(ServerConfig.defaults(database).withHost("127.0.0.1").withPort(0)
                .withRateLimits(false));
        try (Socket answered = new Socket("127.0.0.1", server.port()); Socket silent = new Socket("127.0.0.1", server.port())) {
            answered.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: gatehouse\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = readHead(answered.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.openConnections() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(server.openConnections()).isEqualTo(2);

            long started = System.nanoTime();
            CompletableFuture<Long> answeredClosed = CompletableFuture.supplyAsync(() -> millisUntilEof(answered, started));
            CompletableFuture<Long> silentClosed = CompletableFuture.supplyAsync(() -> millisUntilEof(silent, started));
            server.close();

            long a = answeredClosed.get(10, TimeUnit.SECONDS);
            long b = silentClosed.get(10, TimeUnit.SECONDS);
            assertThat(a).as("answered, idle connection closed (ms)").isLessThan(b);
            assertThat(b).as("silent connection closed after its grace (ms)").isGreaterThanOrEqualTo(950);
        } finally {
            server.close();
            if (database.schema() != null) {
                TestDatabases.drop(database);
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("closed after " + head);
            }
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
    }

    /** Milliseconds from {@code started} until the server closed the socket (read gives EOF). */
    private static long millisUntilEof(Socket socket, long started) {
        try {
            socket.setSoTimeout(15_000);
            while (socket.getInputStream().read() >= 0) {
                // an answer would be a bug, but it is the close we are timing
            }
        } catch (IOException e) {
            // reset by the peer is a close too
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
