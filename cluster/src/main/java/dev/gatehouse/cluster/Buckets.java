package dev.gatehouse.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.time.Duration;

/** The cluster's NATS key-value buckets: made on first use, and used as they are once another node made them. */
final class Buckets {

    /** A bucket, the TTL its keys really have (another node may have made it with another), and the connection it is reached by. */
    record Bucket(KeyValue kv, Duration ttl, Connection nats) {}

    private Buckets() {}

    /** JetStream's "wrong last sequence": a create found the key there, or an update found it rewritten. */
    static boolean conflict(JetStreamApiException e) {
        return e.getApiErrorCode() == 10071;
    }

    static Bucket open(Connection nats, String name, Duration ttl) throws IOException, JetStreamApiException, InterruptedException {
        KeyValueManagement management = nats.keyValueManagement();
        if (!management.getBucketNames().contains(name)) {
            try {
                management.create(KeyValueConfiguration.builder().name(name).maxHistoryPerKey(1).ttl(ttl)
                        .storageType(StorageType.File).build());
            } catch (JetStreamApiException e) {
                if (!management.getBucketNames().contains(name)) {
                    throw e; // not a race with another node creating it
                }
            }
        }
        return new Bucket(nats.keyValue(name), management.getStatus(name).getTtl(), nats);
    }
}
