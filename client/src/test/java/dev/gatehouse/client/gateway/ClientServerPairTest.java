package dev.gatehouse.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.gateway.GatewayClientCore.State;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.CloseCode.ClientAction;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client core against the server's real session core, in memory: for every close code the
 * server can send in each dialect (and for a dropped socket and op 7), messages stream before,
 * during and after the break, and the client ends as docs/PROTOCOL.md §6 says. Where the session
 * survives, every message arrives exactly once and in order.
 */
class ClientServerPairTest {

    final InMemoryGateway gateway = new InMemoryGateway();
    final RecordingListener events = new RecordingListener();

    static Stream<Arguments> breaks() {
        List<Arguments> all = new ArrayList<>();
        for (Dialect dialect : Dialect.values()) {
            for (CloseCode code : CloseCode.values()) {
                if (code.existsIn(dialect)) {
                    all.add(Arguments.of(dialect, code.code()));
                }
            }
            all.add(Arguments.of(dialect, 1006)); // the socket drops
            all.add(Arguments.of(dialect, 7)); // op 7, then 4000
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("breaks")
    void theClientEndsAsTheContractSays(Dialect dialect, int how) {
        GatewayClientCore client = new GatewayClientCore(
                ClientConfig.of(URI.create("ws://memory/gateway"), "t", 513).withDialect(dialect), gateway, events, () -> 0.5);
        gateway.client = client;
        client.start(gateway.now);
        gateway.run(1_000);
        assertThat(client.state()).isEqualTo(State.READY);

        List<Long> before = publish(5);
        gateway.run(100);
        InMemoryGateway.Link link = gateway.current;
        switch (how) {
            case 1006 -> link.drop();
            case 7 -> gateway.wire.add(() -> link.server.reconnect("Reconnect"));
            default -> gateway.wire.add(() -> link.server.close(CloseCode.of(how), "Closed by the test"));
        }
        gateway.drain(); // the break happens now: what follows is the gap
        List<Long> during = publish(5);
        gateway.run(70_000); // longer than any wait, 4008's 60 s included
        List<Long> after = publish(3);
        gateway.run(1_000);

        ClientAction action = how == 7 ? ClientAction.RESUME : CloseCode.clientActionFor(dialect, how);
        List<Long> expected = new ArrayList<>(before);
        switch (action) {
            case RESUME -> {
                assertThat(gateway.resumes).as("resumed").isEqualTo(1);
                assertThat(gateway.identifies).as("no second identify").isEqualTo(1);
                expected.addAll(during);
                expected.addAll(after);
            }
            case IDENTIFY, IDENTIFY_AFTER_WAIT -> {
                assertThat(gateway.resumes).as("nothing to resume").isZero();
                assertThat(gateway.identifies).as("a new session").isEqualTo(2);
                expected.addAll(after); // the gap belonged to the ended session
            }
            case STOP -> {
                assertThat(client.state()).isEqualTo(State.STOPPED);
                assertThat(events.stoppedWith).isEqualTo(how);
                assertThat(gateway.links).as("no reconnection").hasSize(1);
            }
        }
        if (action != ClientAction.STOP) {
            assertThat(client.state()).isEqualTo(State.READY);
        }
        assertThat(events.messages).as("each message once, in order").containsExactlyElementsOf(expected);
        assertThat(events.duplicates).isZero();
    }

    private List<Long> publish(int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(gateway.publish());
        }
        return ids;
    }
}
