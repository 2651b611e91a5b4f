package dev.gatehouse.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snowflake worker id (5 bits of worker, 5 of process: 1,024 of them) leased from a NATS
 * key-value bucket, so that no two live nodes mint ids with the same bits, without anyone
 * configuring them.
 *
 * <p>A lease is the bucket's key {@code id-N}, a {@link KeptKey}: created only if absent, renewed
 * with a compare-and-set at the bucket's own TTL (whatever the caller asked for when another node
 * made the bucket), expired by the bucket when its node dies (even by {@code kill -9}). A node that
 * cannot renew (NATS unreachable, a long pause), or whose key was rewritten by someone else, has
 * lost its lease; it is told ({@code onLost}) before the bucket can hand the id to another node,
 * and must stop minting ids. Callers that mint check {@link #valid} first. A lease lost only to an
 * outage comes back by itself once NATS answers, if no other node took the id meanwhile.
 */
public final class WorkerLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerLease.class);

    /**
     * Where leases live, how long an unrenewed one lasts, and which ids are leased: {@code first}
     * up to {@code ids} (exclusive). The default leaves worker 0 (ids 0..31) to what runs outside
     * the cluster's leases: admin commands, which take worker 0 and a process of their own.
     */
    public record Settings(String bucket, Duration ttl, int first, int ids) {
        public static final Settings DEFAULT = new Settings("gatehouse_workers", Duration.ofSeconds(30), 32, 1024);

        /** Ids 0 up to {@code ids}. */
        public Settings(String bucket, Duration ttl, int ids) {
            this(bucket, ttl, 0, ids);
        }
    }

    private final int id;
    private final KeptKey key;

    private WorkerLease(int id, KeptKey key) {
        this.id = id;
        this.key = key;
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
        Buckets.Bucket bucket = Buckets.open(nats, settings.bucket(), settings.ttl());
        byte[] value = holder.getBytes(StandardCharsets.UTF_8);
        int range = settings.ids() - settings.first();
        int start = ThreadLocalRandom.current().nextInt(range);
        for (int i = 0; i < range; i++) {
            int id = settings.first() + (start + i) % range;
            try {
                KeptKey key = KeptKey.create(bucket, "id-" + id, value, onLost);
                log.atInfo().addKeyValue("id", id).addKeyValue("holder", holder).log("worker id leased");
                return new WorkerLease(id, key);
            } catch (JetStreamApiException e) {
                if (!Buckets.conflict(e)) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("all " + range + " worker ids of " + settings.bucket() + " are leased by live nodes");
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

    /**
     * Whether ids may be minted under this lease now: not lost, and less than half a TTL since its
     * last renewal began, so the key certainly still exists whatever pauses this process had.
     */
    public boolean valid() {
        return key.valid();
    }

    /** Whether the lease is lost now; it may come back, unless {@link #isTaken}. */
    public boolean isLost() {
        return key.isLost();
    }

    /** Whether another node took the id: the lease never comes back. */
    public boolean isTaken() {
        return key.isTaken();
    }

    /** Stops renewing and frees the id at once (if it is still this lease's). */
    @Override
    public void close() {
        key.close();
    }
}
