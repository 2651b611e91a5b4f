package dev.gatehouse.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.gateway.ReconnectPolicy.Range;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TcpProxy;
import dev.gatehouse.server.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chaos over real sockets: one client session lives through every way the server can break a
 * connection (abrupt drops, op 7, each resumable close code, the codes that end the session, and a
 * session that expires during an outage, answered with op 9) while messages stream in. Where the
 * contract allows a resume, every message arrives exactly once and in order; elsewhere the client
 * starts a new session and nothing arrives twice or out of order. The codes that forbid
 * reconnecting stop the client.
 */
class GatewayChaosTest {

    static final long RESUME_WINDOW_MS = 1_500;
    static TestServer server;
    static TcpProxy door;
    static SdkGuild guild;

    @BeforeAll
    static void start() throws IOException {
        AtomicReference<TestServer> started = new AtomicReference<>();
        door = new TcpProxy(() -> new InetSocketAddress("127.0.0.1", started.get().server().port())).start();
        // short resume window: an outage longer than it ends the session (then op 9 on resume)
        started.set(TestServer.start(c -> c.withRateLimits(false).withPublicUrl("http://127.0.0.1:" + door.port())
                .withGateway(c.gateway().withResumeWindow(RESUME_WINDOW_MS).withIdentifyLimits(false))));
        server = started.get();
        guild = new SdkGuild(server, "Chaos");
    }

    @AfterAll
    static void stop() {
        door.close();
        server.close();
    }

    static GatewayClient connect(Account bot, GatewayListener listener) {
        ReconnectPolicy fast = new ReconnectPolicy(new Range(0, 50), new Range(50, 150), new Range(1_000, 1_000),
                new Range(50, 150), 2_000, 5);
        return GatewayClient.start(ClientConfig.of(URI.create("ws://127.0.0.1:" + door.port() + "/gateway"), bot.token(),
                SdkGuild.INTENTS).withPolicy(fast), listener);
    }

    static List<Long> stream(int n, String label) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(guild.post(label + " " + i));
        }
        return ids;
    }

    static void await(BooleanSupplier condition, String what) {
        SdkGuild.await(condition, what);
    }

    static void sleep(long ms) {
        SdkGuild.sleep(ms);
    }

    /** A break, and whether the session survives it. */
    record Fault(String name, boolean resumable) {}

    @Test
    void oneSessionThroughEveryBreakLosesAndRepeatsNothingItMayResume() {
        List<Fault> faults = new ArrayList<>(List.of(new Fault("drop", true), new Fault("op7", true)));
        for (CloseCode code : CloseCode.values()) {
            if (code.clientAction(dev.gatehouse.protocol.Dialect.DISCORD) == CloseCode.ClientAction.RESUME) {
                faults.add(new Fault(Integer.toString(code.code()), true));
            }
        }
        faults.add(new Fault("4007", false));
        faults.add(new Fault("4008", false));
        faults.add(new Fault("expired", false)); // the resume is answered with op 9
        faults.add(new Fault("drop", true));

        Account bot = guild.bot("chaos");
        RecordingListener seen = new RecordingListener();
        Gateway gateway = server.server().gateway();
        List<Long> posted = new ArrayList<>();
        List<Long> mustArrive = new ArrayList<>();
        Map<String, Integer> report = new LinkedHashMap<>();
        try (GatewayClient client = connect(bot, seen)) {
            await(() -> seen.identified() == 1, "the first READY");
            for (Fault fault : faults) {
                List<Long> before = stream(3, fault.name() + " before");
                await(() -> seen.messages.containsAll(before), "the messages before " + fault.name());
                seen.phase = fault.name();
                int resumed = seen.resumed();
                int identified = seen.identified();
                List<Long> during;
                switch (fault.name()) {
                    case "drop" -> {
                        assertThat(gateway.abort(bot.id()).join()).isEqualTo(1);
                        during = stream(5, "during drop");
                    }
                    case "op7" -> {
                        assertThat(gateway.reconnect(bot.id(), "Reconnect").join()).isEqualTo(1);
                        during = stream(5, "during op 7");
                    }
                    case "expired" -> {
                        door.hold(); // the outage: the client's reconnection waits at the door
                        assertThat(gateway.abort(bot.id()).join()).isEqualTo(1);
                        during = stream(5, "during the outage");
                        sleep(RESUME_WINDOW_MS + 2_000); // past the window and the sweep that ends the session
                        door.release();
                    }
                    default -> {
                        CloseCode code = CloseCode.of(Integer.parseInt(fault.name()));
                        assertThat(gateway.close(bot.id(), code, "Chaos").join()).isEqualTo(1);
                        during = stream(5, "during " + fault.name());
                    }
                }
                if (fault.resumable()) {
                    await(() -> seen.resumed() == resumed + 1, "the resume after " + fault.name());
                } else {
                    await(() -> seen.identified() == identified + 1, "a new session after " + fault.name());
                }
                List<Long> after = stream(3, fault.name() + " after");
                await(() -> seen.messages.containsAll(after), "the messages after " + fault.name());
                posted.addAll(before);
                posted.addAll(during);
                posted.addAll(after);
                mustArrive.addAll(before);
                if (fault.resumable()) {
                    mustArrive.addAll(during);
                }
                mustArrive.addAll(after);
                report.merge(fault.resumable() ? "resumed" : "identified", 1, Integer::sum);
            }
        }
        List<Long> received = List.copyOf(seen.messages);
        assertThat(received).as("nothing twice").doesNotHaveDuplicates();
        assertThat(received).as("only what was posted, in the order it was posted")
                .isSubsetOf(posted).isSortedAccordingTo((a, b) -> Integer.compare(posted.indexOf(a), posted.indexOf(b)));
        assertThat(received).as("everything posted around a resumable break").containsAll(mustArrive);
        // the server sends each seq once, in order, so the client never has one to drop
        assertThat(seen.duplicateAt).as("dispatches dropped by seq; all dispatches: %s", seen.log).isEmpty();
        System.out.printf("chaos: %d breaks (%s), %d messages posted, %d received, %d required, 0 duplicates delivered,"
                + " %d dispatches dropped by seq %s%n", faults.size(), report, posted.size(), received.size(), mustArrive.size(),
                seen.duplicates, seen.duplicateAt);
    }

    @ParameterizedTest
    @ValueSource(ints = {4004, 4010, 4011, 4012, 4013, 4014})
    void codesThatForbidReconnectingStopTheClient(int code) throws Exception {
        Account bot = guild.bot("stopped" + code);
        RecordingListener seen = new RecordingListener();
        GatewayClient client = connect(bot, seen);
        try {
            await(() -> seen.identified() == 1, "READY");
            assertThat(server.server().gateway().close(bot.id(), CloseCode.of(code), "Chaos").join()).isEqualTo(1);
            assertThat(client.stopped().get(10, TimeUnit.SECONDS)).isEqualTo(code);
            sleep(300);
            assertThat(server.server().gateway().sessions().all()).as("no new session")
                    .noneMatch(s -> s.session().identity().userId() == bot.id() && !s.session().isEnded());
        } finally {
            client.close();
        }
    }
}
