package dev.gatehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nodes announcing themselves in the real NATS (127.0.0.1:4222): a bucket of each test's own. */
class NodeDirectoryTest {

    final String bucket = "test_nodes_" + UUID.randomUUID().toString().replace("-", "");
    final List<Connection> connections = new ArrayList<>();

    Connection node() throws Exception {
        Connection c = Nats.connect(new Options.Builder().server(WorkerLeaseTest.NATS).connectionTimeout(Duration.ofSeconds(5)).build());
        connections.add(c);
        return c;
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            node().keyValueManagement().delete(bucket);
        } catch (Exception e) {
            // never made
        }
        for (Connection c : connections) {
            c.close();
        }
    }

    static NodeDirectory.Node node(String name, int worker) {
        return new NodeDirectory.Node(name, "all", "http://" + name + ":8080", "ws://" + name + ":8080/gateway", worker, 1_765_000_000_000L);
    }

    @Test
    void everyLiveNodeIsSeenWithItsUrlsAndDeadOnesDropOut() throws Exception {
        NodeDirectory.Settings settings = new NodeDirectory.Settings(bucket, Duration.ofSeconds(2));
        NodeDirectory.Announcement a = new NodeDirectory(node(), settings).announce(node("node-a", 1), () -> {});
        Connection doomed = node();
        NodeDirectory.Announcement b = new NodeDirectory(doomed, settings).announce(node("node-b", 2), () -> {});
        NodeDirectory.Announcement c = new NodeDirectory(node(), settings).announce(node("node-c", 3), () -> {});
        NodeDirectory observer = new NodeDirectory(node(), settings);

        List<NodeDirectory.Node> live = observer.live();
        assertThat(live).extracting(NodeDirectory.Node::name).containsExactly("node-a", "node-b", "node-c");
        assertThat(live.get(1).gatewayUrl()).isEqualTo("ws://node-b:8080/gateway");
        assertThat(live.get(2).workerId()).isEqualTo(3);

        Connection again = node();
        assertThatThrownBy(() -> new NodeDirectory(again, settings).announce(node("node-a", 9), () -> {}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("node-a");

        c.close();
        assertThat(observer.live()).as("a node that stops withdraws at once").extracting(NodeDirectory.Node::name)
                .containsExactly("node-a", "node-b");

        doomed.close(); // killed: nobody withdraws it, the bucket forgets it
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (observer.live().size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000); // past two renewals of the survivor: it is still there
        assertThat(observer.live()).extracting(NodeDirectory.Node::name).containsExactly("node-a");
        assertThat(b.isLost()).isTrue();
        a.close();
        b.close();
    }
}
