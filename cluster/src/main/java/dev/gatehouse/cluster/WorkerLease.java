package dev.gatehouse.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snowflake worker id (5 bits of worker, 5 of process: 1,024 of them) leased from a NATS
 * key-value bucket, so that no two live nodes mint ids with the same bits, without anyone
 * configuring them.
 *
 * <p>A lease is the bucket's key {@code id-N}, created only if absent (the bucket's compare-and-set)
 * and kept by renewing it every eighth of the bucket's TTL (the bucket's own, whatever the caller
 * asked for when another node made it) with the revision it was last written at. The bucket expires
 * keys nobody renews, so a node that dies (even by {@code kill -9}) frees its id one TTL later. A
 * lease is {@link #valid} only until half a TTL after its last renewal began (on the monotonic
 * clock): a node that cannot renew (NATS unreachable, a long pause), or whose key was rewritten by
 * someone else, has lost its lease by then, is told ({@code onLost}, at most five eighths of a TTL
 * after its last renewal) before the bucket can hand the id to another node, and must stop minting
 * ids; callers that mint check {@link #valid} first.
 */
public final class WorkerLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerLease.class);

    /** Where leases live, how long an unrenewed one lasts, and how many ids there are (1,024 for snowflakes). */
    public record Settings(String bucket, Duration ttl, int ids) {
        public static final Settings DEFAULT = new Settings("gatehouse_workers", Duration.ofSeconds(30), 1024);
    }

    private final KeyValue kv;
    private final String key;
    private final int id;
    private final byte[] holder;
    private final long ttlNanos;
    private final Runnable onLost;
    private final ScheduledExecutorService renewals;
    private long revision;
    /** When the last successful renewal began (System.nanoTime): the key lives at least a TTL from then. */
    private volatile long renewedAt;
    private volatile boolean lost;
    private boolean closed;

    private WorkerLease(KeyValue kv, String key, int id, byte[] holder, long revision, long writtenAt, Duration ttl, Runnable onLost) {
        this.kv = kv;
        this.key = key;
        this.id = id;
        this.holder = holder;
        this.revision = revision;
        this.ttlNanos = ttl.toNanos();
        this.renewedAt = writtenAt;
        this.onLost = onLost;
        this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-lease-" + id);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, ttlNanos / 8);
        renewals.scheduleAtFixedRate(this::renew, period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Takes a free id, trying them from a random one on so that nodes starting together rarely
     * collide; fails when every id is leased.
     *
     * @param holder who holds it (a node's name), kept as the key's value for operators to read
     * @param onLost called once, from the lease's own thread, if the lease is lost
     */
    public static WorkerLease acquire(Connection nats, String holder, Settings settings, Runnable onLost)
            throws IOException, JetStreamApiException, InterruptedException {
        KeyValue kv = bucket(nats, settings);
        // the bucket's TTL decides when keys expire; it may be another node's choice
        Duration ttl = nats.keyValueManagement().getStatus(settings.bucket()).getTtl();
        byte[] value = holder.getBytes(StandardCharsets.UTF_8);
        int start = ThreadLocalRandom.current().nextInt(settings.ids());
        for (int i = 0; i < settings.ids(); i++) {
            int id = (start + i) % settings.ids();
            String key = "id-" + id;
            try {
                long writtenAt = System.nanoTime();
                long revision = kv.create(key, value);
                log.atInfo().addKeyValue("id", id).addKeyValue("holder", holder).log("worker id leased");
                return new WorkerLease(kv, key, id, value, revision, writtenAt, ttl, onLost);
            } catch (JetStreamApiException e) {
                if (!taken(e)) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("all " + settings.ids() + " worker ids of " + settings.bucket() + " are leased by live nodes");
    }

    /** The bucket, made on first use; a bucket made by another node first is used as it is. */
    private static KeyValue bucket(Connection nats, Settings settings) throws IOException, JetStreamApiException, InterruptedException {
        KeyValueManagement management = nats.keyValueManagement();
        if (!management.getBucketNames().contains(settings.bucket())) {
            try {
                management.create(KeyValueConfiguration.builder().name(settings.bucket()).maxHistoryPerKey(1).ttl(settings.ttl())
                        .storageType(StorageType.File).build());
            } catch (JetStreamApiException e) {
                if (!management.getBucketNames().contains(settings.bucket())) {
                    throw e; // not a race with another node creating it
                }
            }
        }
        return nats.keyValue(settings.bucket());
    }

    /** The create failed because the key exists: JetStream's "wrong last sequence". */
    private static boolean taken(JetStreamApiException e) {
        return e.getApiErrorCode() == 10071;
    }

    /** 0..1023: worker in the high five bits, process in the low five. */
    public int id() {
        return id;
    }

    public int worker() {
        return id >> 5;
    }

    public int process() {
        return id & 31;
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
                revision = kv.update(key, holder, revision);
                renewedAt = started;
                return;
            } catch (JetStreamApiException e) {
                if (taken(e)) {
                    lostBecause = "the key was taken: " + e.getMessage(); // it expired under us and someone took it
                } else {
                    log.atWarn().addKeyValue("id", id).log("could not renew the worker lease: " + e.getMessage());
                }
            } catch (IOException | RuntimeException e) {
                log.atWarn().addKeyValue("id", id).log("could not renew the worker lease: " + e.getMessage());
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
        // outside the lock: onLost may stop the process, whose shutdown hook closes this lease
        log.atError().addKeyValue("id", id).log("worker lease lost, " + lostBecause + ": this node must stop minting ids");
        onLost.run();
    }

    /**
     * Whether ids may be minted under this lease now: not lost, and less than half a TTL since its
     * last renewal began, so the key certainly still exists whatever pauses this process had.
     */
    public boolean valid() {
        return !lost && System.nanoTime() - renewedAt < ttlNanos / 2;
    }

    /** Whether the lease was lost; a lost lease stays lost. */
    public boolean isLost() {
        return lost;
    }

    /** Stops renewing and frees the id at once (if it is still this lease's). */
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
                log.atWarn().addKeyValue("id", id).log("could not free the worker id (it expires on its own): " + e.getMessage());
            }
        }
    }
}
