package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.LogCapture;
import dev.gatehouse.server.testing.TcpProxy;
import dev.gatehouse.server.testing.TestDatabases;
import dev.gatehouse.server.testing.ServerPerClass;
import dev.gatehouse.server.testing.TestServer;
import dev.gatehouse.store.DatabaseConfig;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

class MetricsAndHealthTest extends ServerPerClass {

    private static String scrape() {
        var r = api.raw("GET", "/metrics", null, null, Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/plain; version=0.0.4");
        return r.text();
    }

    /** The count of the http timer's series with exactly these labels; 0 when it does not exist. */
    private static long requests(String metrics, String method, String route, int status) {
        Pattern p = Pattern.compile("^gatehouse_http_requests_seconds_count\\{method=\"" + Pattern.quote(method)
                + "\",route=\"" + Pattern.quote(route) + "\",status=\"" + status + "\"} (\\d+)", Pattern.MULTILINE);
        Matcher m = p.matcher(metrics);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void httpTimerIsTaggedWithTheRouteTemplateNeverTheRawPath() {
        Account alice = api.register("metrics");
        long before = requests(scrape(), "GET", "/api/v10/users/{user.id}", 200);
        assertThat(api.get("/users/" + alice.id(), alice.token()).status()).isEqualTo(200);
        assertThat(api.get("/users/" + alice.id(), alice.token()).status()).isEqualTo(200);
        assertThat(api.get("/users/@me", null).status()).isEqualTo(401);

        String metrics = scrape();
        assertThat(requests(metrics, "GET", "/api/v10/users/{user.id}", 200)).isEqualTo(before + 2);
        assertThat(requests(metrics, "GET", "/api/v10/users/@me", 401)).isGreaterThanOrEqualTo(1);
        assertThat(requests(metrics, "POST", "/api/v10/auth/register", 201)).isGreaterThanOrEqualTo(1);
        assertThat(metrics).contains("gatehouse_http_requests_seconds_sum{method=\"GET\",route=\"/api/v10/users/{user.id}\",status=\"200\"}");
        assertThat(metrics.lines().filter(l -> l.startsWith("gatehouse_http")))
                .noneMatch(l -> l.contains(Long.toString(alice.id())));
        assertThat(metrics).contains("gatehouse_http_requests_in_flight");
    }

    @Test
    void unknownPathsVersionsAndMethodsShareBoundedLabels() {
        String before = scrape();
        long unmatched = requests(before, "GET", "unmatched", 404);
        long badVersion = requests(before, "GET", "unmatched", 400);
        long other = requests(before, "OTHER", "/api/v10/users/@me", 405);
        long wrongMethod = requests(before, "PUT", "/api/v9/guilds/{guild.id}", 405);

        Account a = api.register("labels");
        assertThat(api.get("/no/such/route/123", a.token()).status()).isEqualTo(404);
        assertThat(api.raw("GET", "/scanner-probe-" + System.nanoTime(), null, null, Map.of()).status()).isEqualTo(404);
        assertThat(api.raw("GET", "/api/v77/users/@me", a.token(), null, Map.of()).status()).isEqualTo(400);
        assertThat(api.raw("BREW", "/api/v10/users/@me", a.token(), null, Map.of()).status()).isEqualTo(405);
        assertThat(api.version("v9").put("/guilds/1", a.token(), null).status()).isEqualTo(405);

        String after = scrape();
        assertThat(requests(after, "GET", "unmatched", 404)).isEqualTo(unmatched + 2);
        assertThat(requests(after, "GET", "unmatched", 400)).isEqualTo(badVersion + 1);
        assertThat(requests(after, "OTHER", "/api/v10/users/@me", 405)).isEqualTo(other + 1);
        assertThat(requests(after, "PUT", "/api/v9/guilds/{guild.id}", 405)).isEqualTo(wrongMethod + 1);
        assertThat(after).doesNotContain("scanner-probe").doesNotContain("BREW").doesNotContain("v77");
    }

    @Test
    void answersGivenBeforeTheRouteRunsAreCountedToo() throws Exception {
        try (TestServer small = TestServer.start(c -> new ServerConfig(c.host(), c.port(), c.publicUrl(), c.database(), 1_000,
                false, PlatformLimits.defaults(), 0, c.gateway(), c.tls(), c.voice(), c.cluster()))) {
            Account a = small.api().register("big");
            var tooLarge = small.api().post("/guilds", a.token(), Map.of("name", "x".repeat(4_000)));
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.json().get("code").asInt()).isEqualTo(40005);
            String metrics = small.api().raw("GET", "/metrics", null, null, Map.of()).text();
            assertThat(requests(metrics, "POST", "/api/v10/guilds", 413)).isEqualTo(1);
        }
    }

    @Test
    void jvmProcessAndPoolMetricsAreExported() {
        String metrics = scrape();
        assertThat(metrics).contains("jvm_memory_used_bytes{area=\"heap\"")
                .contains("jvm_gc_")
                .contains("jvm_threads_live_threads")
                .contains("jvm_classes_loaded_classes")
                .contains("process_cpu_usage")
                .contains("process_uptime_seconds")
                .contains("hikaricp_connections_active{pool=\"gatehouse-db\"}")
                .contains("hikaricp_connections_max{pool=\"gatehouse-db\"}");
    }

    @Test
    void accessLogHasOneStructuredLinePerRequest() {
        try (LogCapture log = LogCapture.of("gatehouse.access", Level.DEBUG)) {
            Account a = api.register("logged");
            assertThat(api.get("/users/" + a.id(), a.token()).status()).isEqualTo(200);
            assertThat(api.raw("GET", "/healthz", null, null, Map.of()).status()).isEqualTo(200);

            List<ILoggingEvent> events = log.events();
            ILoggingEvent get = events.stream()
                    .filter(e -> "/api/v10/users/{user.id}".equals(LogCapture.keyValues(e).get("route")))
                    .findFirst().orElseThrow();
            Map<String, String> kv = LogCapture.keyValues(get);
            assertThat(get.getLevel()).isEqualTo(Level.INFO);
            assertThat(kv).containsEntry("method", "GET").containsEntry("status", "200")
                    .containsEntry("path", "/api/v10/users/" + a.id());
            assertThat(Double.parseDouble(kv.get("duration_ms"))).isGreaterThanOrEqualTo(0.0).isLessThan(60_000.0);
            assertThat(events).anyMatch(e -> "/api/v10/auth/register".equals(LogCapture.keyValues(e).get("route"))
                    && "201".equals(LogCapture.keyValues(e).get("status")));
            // probes and scrapes stay out of the INFO log
            ILoggingEvent health = events.stream()
                    .filter(e -> "/healthz".equals(LogCapture.keyValues(e).get("route"))).findFirst().orElseThrow();
            assertThat(health.getLevel()).isEqualTo(Level.DEBUG);
        }
    }

    @Test
    void healthzIsOkWhileTheDatabaseAnswers() {
        var r = api.raw("GET", "/healthz", null, null, Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ok");
        assertThat(r.json().get("database").asText()).isEqualTo("up");
        assertThat(api.raw("POST", "/healthz", null, null, Map.of()).status()).isEqualTo(405);
    }

    /**
     * The server reaches its real database through a proxy we cut: /healthz must answer 503 in
     * about its 2 s budget (not hang for the pool's 10 s), and 200 again once the database is back.
     */
    @Test
    void healthzIs503WhileTheDatabaseIsUnreachableAndRecovers() throws Exception {
        DatabaseConfig real = TestDatabases.fresh();
        Server h2 = null;
        InetSocketAddress target;
        String viaProxy;
        TcpProxy proxy;
        if (real.isH2()) {
            int h2Port = freePort();
            h2 = Server.createTcpServer("-tcpPort", Integer.toString(h2Port), "-ifNotExists").start();
            target = new InetSocketAddress("127.0.0.1", h2Port);
            proxy = new TcpProxy(target).start();
            viaProxy = "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/mem:" + real.url().substring("jdbc:h2:mem:".length())
                    + ";DB_CLOSE_DELAY=-1";
        } else {
            Matcher hostPort = Pattern.compile("//([^/:]+):(\\d+)/").matcher(real.url());
            assertThat(hostPort.find()).isTrue();
            target = new InetSocketAddress(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
            proxy = new TcpProxy(target).start();
            viaProxy = real.url().replace(hostPort.group(0), "//127.0.0.1:" + proxy.port() + "/");
        }
        DatabaseConfig proxied = new DatabaseConfig(viaProxy, real.user(), real.password(), real.schema(), 4);
        try (proxy; TestServerLike s = TestServerLike.start(proxied)) {
            assertThat(s.api.raw("GET", "/healthz", null, null, Map.of()).status()).isEqualTo(200);

            proxy.cut();
            ApiClient.Response down = pollUntil(s.api, 503);
            assertThat(down.json().get("status").asText()).isEqualTo("unavailable");
            assertThat(down.json().get("database").asText()).isEqualTo("down");
            long started = System.nanoTime();
            assertThat(s.api.raw("GET", "/healthz", null, null, Map.of()).status()).isEqualTo(503);
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);

            proxy.start();
            ApiClient.Response up = pollUntil(s.api, 200);
            assertThat(up.json().get("status").asText()).isEqualTo("ok");
            Account a = s.api.register("recovered");
            assertThat(s.api.get("/users/@me", a.token()).status()).isEqualTo(200);
        } finally {
            if (h2 != null) {
                h2.stop();
            }
            if (real.schema() != null) {
                TestDatabases.drop(real);
            }
        }
    }

    private static ApiClient.Response pollUntil(ApiClient client, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        ApiClient.Response r;
        do {
            r = client.raw("GET", "/healthz", null, null, Map.of());
            if (r.status() == status) {
                return r;
            }
            // as a probe does: a pool connection idle for over 0.5 s is checked before use, which is
            // how H2 connections broken by the cut leave the pool (PostgreSQL's go at first error)
            Thread.sleep(700);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/healthz never answered " + status + "; last: " + r);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A server over a given database (TestServer always makes its own). */
    record TestServerLike(GatehouseServer server, ApiClient api) implements AutoCloseable {
        static TestServerLike start(DatabaseConfig database) throws InterruptedException {
            GatehouseServer s = GatehouseServer.start(ServerConfig.defaults(database).withHost("127.0.0.1").withPort(0)
                    .withRateLimits(false));
            return new TestServerLike(s, new ApiClient("http://127.0.0.1:" + s.port()));
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
