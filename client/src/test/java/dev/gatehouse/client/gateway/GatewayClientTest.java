package dev.gatehouse.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.compress.Compression;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Encoding;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SDK's gateway client against a real server over real sockets. */
class GatewayClientTest {

    static TestServer server;
    static SdkGuild guild;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        guild = new SdkGuild(server, "SDK");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Account bot(String name) {
        return guild.bot(name);
    }

    static long post(String content) {
        return guild.post(content);
    }

    static ClientConfig config(Account bot) {
        URI gateway = URI.create(server.baseUrl().replaceFirst("^http", "ws") + "/gateway");
        return ClientConfig.of(gateway, bot.token(), SdkGuild.INTENTS);
    }

    static void await(BooleanSupplier condition, String what) {
        SdkGuild.await(condition, what);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"JSON, ZLIB_STREAM", "JSON, ZSTD_STREAM", "JSON, NONE", "ETF, ZLIB_STREAM", "ETF, NONE"})
    void identifiesAndReceivesInEveryEncodingAndCompression(Encoding encoding, Compression compression) {
        Account bot = bot("wire");
        RecordingListener seen = new RecordingListener();
        try (GatewayClient client = GatewayClient.start(config(bot).withEncoding(encoding).withCompression(compression), seen)) {
            await(() -> seen.types.contains("GUILD_CREATE"), "READY and GUILD_CREATE");
            long id = post("hello " + encoding + " " + compression);
            await(() -> seen.messages.contains(id), "the message");
            assertThat(seen.contents).contains("hello " + encoding + " " + compression);
            assertThat(seen.types.get(0)).isEqualTo("READY");
        }
    }

    /** How the server ends the connection, and what the client must do: resume, identify anew, or stop. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"drop, RESUME", "op7, RESUME", "4000, RESUME", "4009, RESUME", "4007, IDENTIFY", "4004, STOP", "4014, STOP"})
    void recoversFromEachBreakAsTheContractSays(String how, String expected) throws Exception {
        Account bot = bot("breaks");
        RecordingListener seen = new RecordingListener();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        var gateway = server.server().gateway();
        GatewayClient client = GatewayClient.start(config(bot).withPolicy(new ReconnectPolicy(
                new ReconnectPolicy.Range(0, 100), new ReconnectPolicy.Range(100, 200), new ReconnectPolicy.Range(60_000, 60_000),
                new ReconnectPolicy.Range(100, 200), 2_000, 5)), seen, meters, null);
        try {
            await(() -> seen.types.contains("GUILD_CREATE"), "ready");
            List<Long> before = List.of(post("before"));
            await(() -> seen.messages.containsAll(before), "the first message");
            int dropped = switch (how) {
                case "drop" -> gateway.abort(bot.id()).join();
                case "op7" -> gateway.reconnect(bot.id(), "Reconnect").join();
                default -> gateway.close(bot.id(), CloseCode.of(Integer.parseInt(how)), "Closed by the test").join();
            };
            assertThat(dropped).isEqualTo(1);
            List<Long> during = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                during.add(post("during " + i));
            }
            switch (expected) {
                case "RESUME" -> {
                    await(() -> seen.resumed() == 1, "the resume");
                    long after = post("after");
                    await(() -> seen.messages.contains(after), "the message after");
                    List<Long> all = new ArrayList<>(before);
                    all.addAll(during);
                    all.add(after);
                    assertThat(seen.messages).as("each once, in order").containsExactlyElementsOf(all);
                    assertThat(seen.identified()).isEqualTo(1);
                    assertThat(meters.get("gatehouse.client.resumes").tag("outcome", "resumed").counter().count()).isEqualTo(1);
                }
                case "IDENTIFY" -> {
                    await(() -> seen.identified() == 2, "a new session");
                    long after = post("after");
                    await(() -> seen.messages.contains(after), "the message after");
                    assertThat(seen.messages).doesNotHaveDuplicates().startsWith(before.get(0)).endsWith(after);
                }
                case "STOP" -> {
                    assertThat(client.stopped().get(15, TimeUnit.SECONDS)).isEqualTo(Integer.parseInt(how));
                    assertThat(client.state()).isEqualTo(GatewayClientCore.State.STOPPED);
                }
                default -> throw new AssertionError(expected);
            }
            // op 7: the server closes 4000 right after it, and the client closes 4900 on seeing it: either lands first
            List<String> codes = switch (how) {
                case "drop" -> List.of("1006");
                case "op7" -> List.of("4000", "4900");
                default -> List.of(how);
            };
            double closes = meters.find("gatehouse.client.closes").counters().stream()
                    .filter(c -> codes.contains(c.getId().getTag("code"))).mapToDouble(c -> c.count()).sum();
            assertThat(closes).as("closes with %s counted", codes).isGreaterThanOrEqualTo(1);
        } finally {
            client.close();
        }
    }

    /** Listeners run on the client's loop: asking for the state there, or closing from there, must not wait on the loop itself. */
    @Test
    void aListenerMayReadTheStateAndCloseTheClient() throws Exception {
        Account bot = bot("self-closing");
        java.util.concurrent.atomic.AtomicReference<GatewayClient> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CompletableFuture<GatewayClientCore.State> seenState = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        GatewayClient client = GatewayClient.start(config(bot), new GatewayListener() {
            @Override
            public void onDispatch(String type, JsonNode data, long seq) {
                if (type.equals("READY")) {
                    try {
                        started.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    seenState.complete(self.get().state());
                    self.get().close();
                }
            }
        });
        self.set(client);
        started.countDown();
        assertThat(seenState.get(5, TimeUnit.SECONDS)).isEqualTo(GatewayClientCore.State.READY);
        assertThat(client.stopped().get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void aGatewayThatIsNotThereIsRetriedUntilTheClientIsClosed() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections are refused
        }
        RecordingListener seen = new RecordingListener();
        ReconnectPolicy fast = new ReconnectPolicy(new ReconnectPolicy.Range(0, 20), new ReconnectPolicy.Range(20, 40),
                new ReconnectPolicy.Range(60_000, 60_000), new ReconnectPolicy.Range(20, 40), 200, 5);
        GatewayClient client = GatewayClient.start(ClientConfig.of(URI.create("ws://127.0.0.1:" + port + "/gateway"), "t", 1)
                .withCompression(Compression.ZSTD_STREAM).withPolicy(fast), seen);
        await(() -> seen.closedCodes.size() >= 3, "three refused connections");
        assertThat(seen.closedCodes).containsOnly(1006);
        client.close();
        assertThat(client.stopped().get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void closeEndsTheSessionOnTheServer() throws Exception {
        Account bot = bot("closer");
        RecordingListener seen = new RecordingListener();
        GatewayClient client = GatewayClient.start(config(bot), seen);
        await(() -> seen.types.contains("READY"), "ready");
        client.close();
        assertThat(client.stopped().get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        await(() -> server.server().gateway().sessions().size() == 0 || noSessionOf(bot), "the session to end");
    }

    private static boolean noSessionOf(Account bot) {
        return server.server().gateway().sessions().all().stream().noneMatch(s -> s.session().identity().userId() == bot.id());
    }

}
