package dev.gatehouse.bench.cluster;

import dev.gatehouse.core.limit.WindowCounters;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The candidate that lost: {@link WindowCounters} on a NATS key-value bucket (memory storage, one
 * revision per key). KV has no increment, so a hit reads the key and writes it back with a
 * compare-and-set on the revision it read, retrying when another hit wrote first. NATS 2.9 has no
 * per-key TTL either, so the window's end is stored with the count and the bucket's max age only
 * sweeps old keys. Kept in the benchmark that chose Redis, to be run against it.
 */
final class NatsKvWindowCounter implements WindowCounters {

    private final Connection nats;
    private final KeyValue kv;
    long retries;

    NatsKvWindowCounter(Connection nats, String bucket) throws IOException, JetStreamApiException, InterruptedException {
        this.nats = nats;
        KeyValueManagement management = nats.keyValueManagement();
        if (!management.getBucketNames().contains(bucket)) {
            try {
                management.create(KeyValueConfiguration.builder().name(bucket).maxHistoryPerKey(1).ttl(Duration.ofMinutes(10))
                        .storageType(StorageType.Memory).build());
            } catch (JetStreamApiException e) {
                // made by the other node first
            }
        }
        this.kv = nats.keyValue(bucket);
    }

    @Override
    public Window hit(String key, long windowMillis, long start) {
        try {
            while (true) {
                long now = System.currentTimeMillis();
                KeyValueEntry e = kv.get(key);
                try {
                    if (e == null || e.getOperation() != KeyValueOperation.PUT) {
                        kv.create(key, encode(1, now + windowMillis));
                        return new Window(1, now + windowMillis);
                    }
                    ByteBuffer b = ByteBuffer.wrap(e.getValue());
                    long count = b.getLong();
                    long resetAt = b.getLong();
                    Window next = now >= resetAt ? new Window(1, now + windowMillis) : new Window(count + 1, resetAt);
                    kv.update(key, encode(next.count(), next.resetAt()), e.getRevision());
                    return next;
                } catch (JetStreamApiException conflict) {
                    retries++; // another hit wrote first: read again
                }
            }
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Not measured: the benchmark compares hits. */
    @Override
    public Window peek(String key, long now) {
        throw new UnsupportedOperationException("the benchmark measures hits only");
    }

    @Override
    public void forget(String key) {
        throw new UnsupportedOperationException("the benchmark measures hits only");
    }

    private static byte[] encode(long count, long resetAt) {
        return ByteBuffer.allocate(16).putLong(count).putLong(resetAt).array();
    }

    @Override
    public void close() {
        try {
            nats.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
