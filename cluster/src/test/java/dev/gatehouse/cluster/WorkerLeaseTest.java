package dev.gatehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Worker-id leases against the real NATS server (127.0.0.1:4222, JetStream on; CI starts it): what
 * no single node can see. Each test has a bucket of its own.
 */
class WorkerLeaseTest {

    static final String NATS = System.getProperty("gatehouse.test.nats.url", "nats://127.0.0.1:4222");

    final String bucket = "test_workers_" + UUID.randomUUID().toString().replace("-", "");
    final List<Connection> connections = new ArrayList<>();

    /** A node's own connection to NATS, as separate processes would have. */
    Connection node() throws Exception {
        Connection c = Nats.connect(new Options.Builder().server(NATS).connectionTimeout(Duration.ofSeconds(5)).build());
        connections.add(c);
        return c;
    }

    @AfterEach
    void cleanUp() throws Exception {
        Connection admin = node();
        try {
            admin.keyValueManagement().delete(bucket);
        } catch (Exception e) {
            // never made
        }
        for (Connection c : connections) {
            c.close();
        }
    }

    @Test
    void nodesStartingTogetherNeverShareAnId() throws Exception {
        WorkerLease.Settings settings = new WorkerLease.Settings(bucket, Duration.ofSeconds(10), 16);
        int nodes = 12;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<WorkerLease>> leases = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            Connection c = node();
            int n = i;
            leases.add(pool.submit(() -> {
                go.await();
                return WorkerLease.acquire(c, "node-" + n, settings, () -> {});
            }));
        }
        go.countDown();
        Set<Integer> ids = ConcurrentHashMap.newKeySet();
        List<WorkerLease> held = new ArrayList<>();
        for (Future<WorkerLease> f : leases) {
            WorkerLease lease = f.get();
            held.add(lease);
            assertThat(ids.add(lease.id())).as("id %d leased twice", lease.id()).isTrue();
            assertThat(lease.worker()).isBetween(0, 31);
            assertThat(lease.process()).isBetween(0, 31);
        }
        pool.shutdown();
        assertThat(ids).hasSize(nodes);
        held.forEach(WorkerLease::close);
    }

    @Test
    void whenEveryIdIsLeasedTheNextNodeIsRefused() throws Exception {
        WorkerLease.Settings settings = new WorkerLease.Settings(bucket, Duration.ofSeconds(10), 3);
        List<WorkerLease> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(WorkerLease.acquire(node(), "node-" + i, settings, () -> {}));
        }
        Connection late = node();
        assertThatThrownBy(() -> WorkerLease.acquire(late, "late", settings, () -> {})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 3 worker ids");
        held.getFirst().close();
        assertThat(WorkerLease.acquire(late, "late", settings, () -> {}).id()).as("a closed lease frees its id at once")
                .isEqualTo(held.getFirst().id());
    }

    @Test
    void aLiveLeaseIsRenewedPastItsTtl() throws Exception {
        WorkerLease.Settings settings = new WorkerLease.Settings(bucket, Duration.ofSeconds(2), 1);
        try (WorkerLease lease = WorkerLease.acquire(node(), "steady", settings, () -> {})) {
            Thread.sleep(4_500);
            assertThat(lease.isLost()).isFalse();
            Connection other = node();
            assertThatThrownBy(() -> WorkerLease.acquire(other, "other", settings, () -> {}))
                    .as("still held after two TTLs").isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aNodeThatDiesFreesItsIdAndKnowsItLostItFirst() throws Exception {
        WorkerLease.Settings settings = new WorkerLease.Settings(bucket, Duration.ofSeconds(2), 1);
        Connection doomed = node();
        AtomicLong lostAt = new AtomicLong();
        WorkerLease lease = WorkerLease.acquire(doomed, "doomed", settings, () -> lostAt.set(System.nanoTime()));
        int id = lease.id();
        assertThat(lease.valid()).isTrue();
        doomed.close(); // as a node cut off from NATS: it can no longer renew, and nothing deletes its key

        Connection next = node();
        WorkerLease taken = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (taken == null && System.nanoTime() < deadline) {
            try {
                taken = WorkerLease.acquire(next, "next", settings, () -> {});
            } catch (IllegalStateException stillHeld) {
                Thread.sleep(100);
            }
        }
        long takenAt = System.nanoTime();
        assertThat(taken).as("the bucket freed the dead node's id").isNotNull();
        assertThat(taken.id()).isEqualTo(id);
        assertThat(lease.isLost()).isTrue();
        assertThat(lease.valid()).isFalse();
        assertThat(lostAt.get()).as("the old holder stopped before the id changed hands").isPositive().isLessThan(takenAt);
        taken.close();
        lease.close();
    }

    @Test
    void theBucketsTtlRulesNotTheCallers() throws Exception {
        WorkerLease first = WorkerLease.acquire(node(), "first", new WorkerLease.Settings(bucket, Duration.ofSeconds(2), 4), () -> {});
        Connection optimistic = node();
        AtomicLong lostAt = new AtomicLong();
        long start = System.nanoTime();
        WorkerLease second = WorkerLease.acquire(optimistic, "second", new WorkerLease.Settings(bucket, Duration.ofSeconds(60), 4),
                () -> lostAt.set(System.nanoTime()));
        optimistic.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lostAt.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(lostAt.get()).as("lost").isPositive();
        assertThat(Duration.ofNanos(lostAt.get() - start)).as("within the bucket's 2 s TTL, not the 60 s asked for")
                .isLessThan(Duration.ofSeconds(2));
        first.close();
        second.close();
    }

    /** NATS gone for longer than the TTL, then back: the lease comes back by itself, same id, since nobody took it. */
    @Test
    void aLeaseLostToAnOutageComesBackWhenNatsDoes() throws Exception {
        try (NatsProcess own = NatsProcess.start()) {
            Connection c = reconnecting(own, Duration.ofMillis(100));
            AtomicLong lost = new AtomicLong();
            WorkerLease lease = WorkerLease.acquire(c, "outage", new WorkerLease.Settings(bucket, Duration.ofSeconds(2), 4),
                    lost::incrementAndGet);
            own.kill();
            awaitTrue(() -> lost.get() == 1, "lost while NATS is down");
            assertThat(lease.valid()).isFalse();
            Thread.sleep(2_500); // past the TTL
            own.restart();
            awaitTrue(lease::valid, "held again");
            assertThat(lease.isTaken()).isFalse();
            Connection other = Nats.connect(own.url());
            connections.add(other);
            assertThat(other.keyValue(bucket).get("id-" + lease.id()).getValueAsString()).isEqualTo("outage");
            lease.close();
        }
    }

    /** While the holder is cut off, someone else writes its key: the lease never comes back. */
    @Test
    void aLeaseWhoseKeySomeoneElseWroteStaysLost() throws Exception {
        try (NatsProcess own = NatsProcess.start()) {
            // this node reconnects slowly, so the other one writes first
            Connection c = reconnecting(own, Duration.ofSeconds(4));
            WorkerLease lease = WorkerLease.acquire(c, "slow", new WorkerLease.Settings(bucket, Duration.ofSeconds(2), 4), () -> {});
            own.kill();
            awaitTrue(lease::isLost, "lost while NATS is down");
            own.restart();
            Connection other = Nats.connect(own.url());
            connections.add(other);
            other.keyValue(bucket).put("id-" + lease.id(), "intruder");
            awaitTrue(lease::isTaken, "given up once it reconnected");
            Thread.sleep(1_000);
            assertThat(lease.valid()).isFalse();
            lease.close();
        }
    }

    /** A node's connection to {@code nats} that keeps reconnecting, every {@code wait}. */
    Connection reconnecting(NatsProcess nats, Duration wait) throws Exception {
        Connection c = Nats.connect(new Options.Builder().server(nats.url()).maxReconnects(-1).reconnectWait(wait).build());
        connections.add(c);
        return c;
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
