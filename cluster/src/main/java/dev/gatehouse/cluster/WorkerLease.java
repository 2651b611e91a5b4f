package dev.gatehouse.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
 * and kept by renewing it every quarter of the bucket's TTL with the revision it was last written
 * at. The bucket expires keys nobody renews, so a node that dies (even by {@code kill -9}) frees its
 * id one TTL later. A node that cannot renew for three quarters of the TTL (NATS unreachable, a long
 * pause), or whose key was rewritten by someone else, has lost its lease: it is told
 * ({@code onLost}) before the bucket can hand the id to another node, and must stop minting ids.
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
    private final Duration ttl;
    private final Clock clock;
    private final Runnable onLost;
    private final ScheduledExecutorService renewals;
    private long revision;
    private long renewedAt;
    private boolean lost;
    private boolean closed;

    private WorkerLease(KeyValue kv, String key, int id, byte[] holder, long revision, Settings settings, Clock clock, Runnable onLost) {
        this.kv = kv;
        this.key = key;
        this.id = id;
        this.holder = holder;
        this.revision = revision;
        this.ttl = settings.ttl();
        this.clock = clock;
        this.renewedAt = clock.millis();
        this.onLost = onLost;
        this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-lease-" + id);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, settings.ttl().toMillis() / 4);
        renewals.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
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
        byte[] value = holder.getBytes(StandardCharsets.UTF_8);
        int start = ThreadLocalRandom.current().nextInt(settings.ids());
        for (int i = 0; i < settings.ids(); i++) {
            int id = (start + i) % settings.ids();
            String key = "id-" + id;
            try {
                long revision = kv.create(key, value);
                log.atInfo().addKeyValue("id", id).addKeyValue("holder", holder).log("worker id leased");
                return new WorkerLease(kv, key, id, value, revision, settings, Clock.systemUTC(), onLost);
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

    private synchronized void renew() {
        if (lost || closed) {
            return;
        }
        try {
            revision = kv.update(key, holder, revision);
            renewedAt = clock.millis();
            return;
        } catch (JetStreamApiException e) {
            // someone else wrote the key: it expired under us and was taken
            lose("the key was taken: " + e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            log.atWarn().addKeyValue("id", id).log("could not renew the worker lease: " + e.getMessage());
        }
        if (clock.millis() - renewedAt >= ttl.toMillis() * 3 / 4) {
            lose("not renewed for " + (clock.millis() - renewedAt) + " ms");
        }
    }

    private void lose(String why) {
        lost = true;
        log.atError().addKeyValue("id", id).log("worker lease lost, " + why + ": this node must stop minting ids");
        renewals.shutdown();
        onLost.run();
    }

    /** Whether the lease was lost; a lost lease stays lost. */
    public synchronized boolean isLost() {
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
