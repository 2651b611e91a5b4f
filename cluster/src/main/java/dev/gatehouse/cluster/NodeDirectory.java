package dev.gatehouse.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The live nodes of a cluster, each announced under its name in a NATS key-value bucket with what
 * others need to know of it (its role, its public API and gateway URLs, its worker id), for as long
 * as it lives: an announcement is a {@link KeptKey}, so a node that dies drops out one TTL later.
 */
public final class NodeDirectory {

    /** Where announcements live and how long one outlives its node. */
    public record Settings(String bucket, Duration ttl) {
        public static final Settings DEFAULT = new Settings("gatehouse_nodes", Duration.ofSeconds(15));
    }

    /**
     * One node as the others see it.
     *
     * @param role {@code api}, {@code gateway} or {@code all}
     * @param gatewayUrl where its gateway takes connections (null for an API-only node)
     */
    public record Node(String name, String role, String apiUrl, String gatewayUrl, int workerId, long startedAt) {}

    /** A node's announcement: it stands while renewed; closing it withdraws it at once. */
    public static final class Announcement implements AutoCloseable {
        private final KeptKey key;

        private Announcement(KeptKey key) {
            this.key = key;
        }

        public boolean isLost() {
            return key.isLost();
        }

        @Override
        public void close() {
            key.close();
        }
    }

    private final Connection nats;
    private final Settings settings;

    public NodeDirectory(Connection nats, Settings settings) {
        this.nats = nats;
        this.settings = settings;
    }

    /**
     * Announces the node. Names are unique among live nodes: a name another live node announced
     * is refused ({@link IllegalStateException}).
     *
     * @param onLost called if the announcement lapses (NATS unreachable for half a TTL, or another
     *     node took the name after it expired)
     */
    public Announcement announce(Node node, Runnable onLost) throws IOException, JetStreamApiException, InterruptedException {
        if (!node.name().matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("a node name is 1 to 64 letters, digits, - or _");
        }
        Buckets.Bucket bucket = Buckets.open(nats, settings.bucket(), settings.ttl());
        try {
            return new Announcement(KeptKey.create(bucket, node.name(), Json.bytes(node), onLost));
        } catch (JetStreamApiException e) {
            if (Buckets.conflict(e)) {
                throw new IllegalStateException("a live node is already called " + node.name());
            }
            throw e;
        }
    }

    /** The nodes announced now, by name. */
    public List<Node> live() throws IOException, JetStreamApiException, InterruptedException {
        Buckets.Bucket bucket = Buckets.open(nats, settings.bucket(), settings.ttl());
        List<Node> out = new ArrayList<>();
        // a key renewed while the keys are listed can be listed twice: read each once
        for (String name : new TreeSet<>(bucket.kv().keys())) {
            KeyValueEntry e = bucket.kv().get(name);
            if (e != null && e.getOperation() == KeyValueOperation.PUT && e.getValue() != null) {
                JsonNode n = Json.mapper().readTree(e.getValue());
                out.add(new Node(n.path("name").asText(), n.path("role").asText(), text(n, "api_url"), text(n, "gateway_url"),
                        n.path("worker_id").asInt(), n.path("started_at").asLong()));
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
