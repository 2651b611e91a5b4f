package dev.gatehouse.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
 * monotonic clock); a key that could not be renewed in time is lost, and {@code onLost} is called
 * (outside any lock) at most five eighths of a TTL after the last renewal, before the bucket can let
 * anyone else have it.
 *
 * <p>A key lost that way (NATS unreachable, a long pause) is reclaimed when NATS answers again, if
 * nobody wrote it since: its revision is still this node's last one (the compare-and-set proves
 * it), or it expired and nothing replaced it (so whoever might have held it in between stopped at
 * least a TTL ago). A key someone else wrote is gone for good.
 *
 * <p>A connection that says it is connected while every write or read times out (seen after a
 * NATS restart: the client reconnected, yet no request of it got an answer again) is made anew.
 */
final class KeptKey implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeptKey.class);

    /** Failed requests in a row, while connected, after which the connection is made anew. */
    private static final int STUCK_AFTER = 3;

    private final KeyValue kv;
    private final Connection nats;
    private final String key;
    private final byte[] value;
    private final long ttlNanos;
    private final Runnable onLost;
    private final ScheduledExecutorService renewals;
    private long revision;
    /** When the last successful write began (System.nanoTime): the key lives at least a TTL from then. */
    private volatile long renewedAt;
    private volatile boolean lost;
    /** Lost to someone else's write: never reclaimed. */
    private boolean taken;
    private boolean closed;
    /** Requests that failed in a row while the connection said it was connected. */
    private int failedWhileConnected;

    private KeptKey(KeyValue kv, Connection nats, String key, byte[] value, long revision, long writtenAt, Duration ttl,
            Runnable onLost) {
        this.kv = kv;
        this.nats = nats;
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
        return new KeptKey(bucket.kv(), bucket.nats(), key, value, revision, writtenAt, bucket.ttl(), onLost);
    }

    private void renew() {
        String lostBecause;
        synchronized (this) {
            if (closed || taken) {
                return;
            }
            if (lost) {
                reclaim();
                return;
            }
            lostBecause = null;
            long started = System.nanoTime();
            try {
                revision = kv.update(key, value, revision);
                renewedAt = started;
                failedWhileConnected = 0;
                return;
            } catch (JetStreamApiException e) {
                if (Buckets.conflict(e)) {
                    taken = true;
                    lostBecause = "the key was taken: " + e.getMessage(); // it expired under us and someone took it
                } else {
                    log.atWarn().addKeyValue("key", key).log("could not renew: " + e.getMessage());
                }
            } catch (IOException | RuntimeException e) {
                log.atWarn().addKeyValue("key", key).log("could not renew: " + e.getMessage());
                requestFailed();
            }
            if (lostBecause == null && !valid()) {
                lostBecause = "not renewed for " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewedAt) + " ms";
            }
            if (lostBecause == null) {
                return;
            }
            lost = true;
            if (taken) {
                renewals.shutdown();
            }
        }
        // outside the lock: onLost may stop the process, whose shutdown hook closes this key
        log.atError().addKeyValue("key", key).log("lost, " + lostBecause);
        onLost.run();
    }

    /** Takes a lost key back if nobody wrote it since (see the class comment); called under the lock. */
    private void reclaim() {
        long started = System.nanoTime();
        try {
            // the last write whatever it was (a get hides deletions, which are someone else's writes too)
            List<KeyValueEntry> history = kv.history(key);
            KeyValueEntry entry = history.isEmpty() ? null : history.getLast();
            if (entry == null) {
                revision = kv.update(key, value, 0); // expired, and nothing written since
            } else if (entry.getRevision() == revision && entry.getOperation() == KeyValueOperation.PUT) {
                revision = kv.update(key, value, revision);
            } else {
                giveUp();
                return;
            }
        } catch (JetStreamApiException e) {
            if (Buckets.conflict(e)) {
                giveUp(); // written by someone else between the read and the write
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IOException | RuntimeException e) {
            requestFailed();
            return; // still unreachable; the next period tries again
        }
        renewedAt = started;
        failedWhileConnected = 0;
        lost = false;
        log.atWarn().addKeyValue("key", key).log("reclaimed");
    }

    /** Counts a failed request; a connection that keeps failing them while it says it is connected is made anew. */
    private void requestFailed() {
        if (nats.getStatus() != Connection.Status.CONNECTED) {
            failedWhileConnected = 0; // it knows it is down and reconnects by itself
            return;
        }
        if (++failedWhileConnected >= STUCK_AFTER) {
            failedWhileConnected = 0;
            log.atWarn().addKeyValue("key", key).log("NATS answers no request although connected: reconnecting");
            try {
                nats.forceReconnect();
            } catch (IOException e) {
                log.atWarn().addKeyValue("key", key).log("could not reconnect: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void giveUp() {
        taken = true;
        renewals.shutdown();
        log.atError().addKeyValue("key", key).log("cannot be reclaimed: someone else wrote it");
    }

    /** Whether the key is certainly still this node's: not lost, and less than half a TTL since its last renewal began. */
    boolean valid() {
        return !lost && System.nanoTime() - renewedAt < ttlNanos / 2;
    }

    /** Whether the key is lost now (it may yet be reclaimed, unless {@link #isTaken}). */
    boolean isLost() {
        return lost;
    }

    /** Whether someone else wrote the key: lost for good. */
    synchronized boolean isTaken() {
        return taken;
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
