package dev.gatehouse.cluster;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key that exists only while its node lives: created if absent, then rewritten every eighth of
 * the bucket's TTL with a compare-and-set on the revision it was last written at. The bucket expires
 * it one TTL after the last write, so a node that dies (even by {@code kill -9}) loses it without
 * anyone deleting it. It is {@link #valid} until half a TTL after its last renewal began (on the
 * monotonic clock); a key that was rewritten by someone else, or could not be renewed in time, is
 * lost, and {@code onLost} is called (outside any lock) at most five eighths of a TTL after the last
 * renewal, before the bucket can let anyone else have it.
 */
final class KeptKey implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeptKey.class);

    private final KeyValue kv;
    private final String key;
    private final byte[] value;
    private final long ttlNanos;
    private final Runnable onLost;
    private final ScheduledExecutorService renewals;
    private long revision;
    /** When the last successful write began (System.nanoTime): the key lives at least a TTL from then. */
    private volatile long renewedAt;
    private volatile boolean lost;
    private boolean closed;

    private KeptKey(KeyValue kv, String key, byte[] value, long revision, long writtenAt, Duration ttl, Runnable onLost) {
        this.kv = kv;
        this.key = key;
        this.value = value;
        this.revision = revision;
        this.renewedAt = writtenAt;
        this.ttlNanos = ttl.toNanos();
        this.onLost = onLost;
        this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kept-key-" + key);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, ttlNanos / 8);
        renewals.scheduleAtFixedRate(this::renew, period, period, TimeUnit.NANOSECONDS);
    }

    /** Creates the key if it is absent; a {@link Buckets#conflict} when someone holds it. */
    static KeptKey create(Buckets.Bucket bucket, String key, byte[] value, Runnable onLost) throws IOException, JetStreamApiException {
        long writtenAt = System.nanoTime();
        long revision = bucket.kv().create(key, value);
        return new KeptKey(bucket.kv(), key, value, revision, writtenAt, bucket.ttl(), onLost);
    }

    private void renew() {
        String lostBecause;
        synchronized (this) {
            if (lost || closed) {
                return;
            }
            lostBecause = null;
            long started = System.nanoTime();
            try {
                revision = kv.update(key, value, revision);
                renewedAt = started;
                return;
            } catch (JetStreamApiException e) {
                if (Buckets.conflict(e)) {
                    lostBecause = "the key was taken: " + e.getMessage(); // it expired under us and someone took it
                } else {
                    log.atWarn().addKeyValue("key", key).log("could not renew: " + e.getMessage());
                }
            } catch (IOException | RuntimeException e) {
                log.atWarn().addKeyValue("key", key).log("could not renew: " + e.getMessage());
            }
            if (lostBecause == null && !valid()) {
                lostBecause = "not renewed for " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewedAt) + " ms";
            }
            if (lostBecause == null) {
                return;
            }
            lost = true;
            renewals.shutdown();
        }
        // outside the lock: onLost may stop the process, whose shutdown hook closes this key
        log.atError().addKeyValue("key", key).log("lost, " + lostBecause);
        onLost.run();
    }

    /** Whether the key is certainly still this node's: not lost, and less than half a TTL since its last renewal began. */
    boolean valid() {
        return !lost && System.nanoTime() - renewedAt < ttlNanos / 2;
    }

    boolean isLost() {
        return lost;
    }

    /** Stops renewing and deletes the key at once, if it is still this node's. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        renewals.shutdownNow();
        if (!lost) {
            try {
                kv.delete(key, revision);
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                log.atWarn().addKeyValue("key", key).log("could not delete (it expires on its own): " + e.getMessage());
            }
        }
    }
}
