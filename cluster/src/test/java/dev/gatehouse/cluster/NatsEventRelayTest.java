package dev.gatehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.event.EventLogPoller;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.store.DatabaseConfig;
import dev.gatehouse.store.JdbcStore;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes over one database and one NATS, each with its own store pool, bus and connection: what
 * one commits reaches the other over NATS, each version once and in order, and nothing is lost
 * when NATS itself goes down and comes back in the middle of a stream.
 */
class NatsEventRelayTest {

    static final long GUILD = 42;

    /** One node: its store pool, its bus, its relay; and what its listeners heard of the guild. */
    static final class TestNode implements AutoCloseable {
        final JdbcStore store;
        final LocalEventBus bus;
        final Connection nats;
        final NatsEventRelay relay;
        final EventLogPoller poller;
        final List<Long> heard = new CopyOnWriteArrayList<>();

        TestNode(DatabaseConfig database, String natsUrl, String stream) throws Exception {
            store = JdbcStore.open(database);
            bus = new LocalEventBus(store);
            bus.subscribe(e -> {
                if (e.position() != null && e.position().stream() == GUILD) {
                    heard.add(e.position().version());
                }
            });
            nats = Nats.connect(new Options.Builder().server(natsUrl).noEcho().maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(100)).connectionTimeout(Duration.ofSeconds(5)).build());
            relay = NatsEventRelay.start(nats, bus, new NatsEventRelay.Settings(stream, "test." + stream.toLowerCase(),
                    Duration.ofMinutes(1), Duration.ofMinutes(1)), lag -> { });
            // as a cluster node runs it: the log, read every second, for what the bus lost
            poller = new EventLogPoller(store, bus, Clock.systemUTC(), Duration.ofHours(1)).start(Duration.ofSeconds(1));
        }

        void follow(long stream) throws Exception {
            bus.order().writing(List.of(stream), () -> bus.streams().follow(stream,
                    store.read(tx -> tx.events().version(stream))));
            nats.flush(Duration.ofSeconds(5)); // the subscription is in place at the server
        }

        /** A change to the guild, its event logged in its transaction, in the guild's section. */
        void change(int n) {
            bus.order().writing(List.of(GUILD), () -> store.write(tx -> {
                tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_UPDATE, GUILD, Map.of("id", Long.toString(GUILD),
                        "name", "change " + n)));
                return null;
            }));
        }

        @Override
        public void close() throws Exception {
            poller.close();
            relay.close();
            nats.close();
            store.close();
        }
    }

    final String stream = "TEST_EVENTS_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final List<AutoCloseable> open = new ArrayList<>();

    <T extends AutoCloseable> T keep(T resource) {
        open.add(0, resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static List<Long> oneTo(long n) {
        List<Long> out = new ArrayList<>();
        for (long v = 1; v <= n; v++) {
            out.add(v);
        }
        return out;
    }

    @Test
    void whatOneNodeCommitsReachesTheOtherOverNatsOnceAndInOrder() throws Exception {
        DatabaseConfig database = DatabaseConfig.inMemory("relay-" + UUID.randomUUID());
        String nats = WorkerLeaseTest.NATS;
        TestNode a = keep(new TestNode(database, nats, stream));
        TestNode b = keep(new TestNode(database, nats, stream));
        open.add(0, () -> a.nats.jetStreamManagement().deleteStream(stream)); // the machine's NATS: leave nothing behind
        b.follow(GUILD);
        try (ExecutorService writers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        a.change(writer * 100 + i);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        await(() -> b.heard.size() >= 200, "200 events on the other node");
        assertThat(b.heard).containsExactlyElementsOf(oneTo(200));
        assertThat(b.relay.received()).as("every one came over NATS").isEqualTo(200);
        assertThat(b.bus.readBack()).as("and none had to be read from the log").isZero();
        assertThat(b.bus.duplicates()).isZero();
        assertThat(a.relay.subscriptions()).as("a node subscribes only to what it follows").isEmpty();
        assertThat(b.relay.subscriptions()).containsExactly(GUILD);
        await(() -> a.relay.published() == 200, "publish acknowledgements");
        assertThat(a.relay.publishFailures()).isZero();
    }

    @Test
    void natsGoingDownInTheMiddleOfAStreamLosesAndDoublesNothing() throws Exception {
        DatabaseConfig database = DatabaseConfig.inMemory("relay-restart-" + UUID.randomUUID());
        NatsProcess nats = keep(NatsProcess.start());
        TestNode a = keep(new TestNode(database, nats.url(), stream));
        TestNode b = keep(new TestNode(database, nats.url(), stream));
        b.follow(GUILD);
        AtomicLong committed = new AtomicLong();
        try (ExecutorService writer = Executors.newSingleThreadExecutor()) {
            Future<?> writing = writer.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    a.change(i);
                    committed.incrementAndGet();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            await(() -> committed.get() >= 50, "the stream under way");
            nats.kill();
            await(() -> committed.get() >= 150, "commits while NATS is down");
            nats.restart();
            writing.get();
        }
        // the last events may have been published while the connection was away: the reconnect catches up
        await(() -> b.heard.size() >= 300, "all 300 on the other node");
        Thread.sleep(300);
        assertThat(b.heard).as("each once, in order").containsExactlyElementsOf(oneTo(300));
    }
}
