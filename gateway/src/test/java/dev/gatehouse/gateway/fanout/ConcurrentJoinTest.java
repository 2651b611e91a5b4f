package dev.gatehouse.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.auth.PasswordHasher;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.service.MemberService;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.store.DatabaseConfig;
import dev.gatehouse.store.JdbcStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Joins racing in two processes over one database (a server and an admin command: each has its
 * own bus and its own sections): the member row's insert decides, so the user joins once and one
 * GUILD_MEMBER_ADD goes out in all.
 */
class ConcurrentJoinTest {

    @Test
    void twelveJoinsFromTwoProcessesMakeOneMemberAndOneEvent() throws Exception {
        DatabaseConfig database = DatabaseConfig.inMemory("joins-" + UUID.randomUUID());
        try (JdbcStore store = JdbcStore.open(database); JdbcStore adminStore = JdbcStore.open(database)) {
            List<GatewayEvent> added = new CopyOnWriteArrayList<>();
            Platform server = platform(store, added, 1);
            Platform admin = platform(adminStore, added, 2);
            User owner = register(server, "owner");
            User joiner = register(server, "joiner");
            long guild = server.guilds().create(owner.id(), "Shared").id();
            added.clear();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<MemberService.Joined>> joins = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
                for (int i = 0; i < 12; i++) {
                    Platform p = i % 2 == 0 ? server : admin;
                    joins.add(pool.submit(() -> {
                        go.await();
                        return p.members().join(guild, joiner.id(), Set.of());
                    }));
                }
                go.countDown();
                int created = 0;
                for (Future<MemberService.Joined> j : joins) {
                    created += j.get().created() ? 1 : 0;
                }
                assertThat(created).isEqualTo(1);
            }
            assertThat(added).hasSize(1);
        }
    }

    private static User register(Platform p, String name) {
        return p.auth().register(Form.of(Json.mapper().valueToTree(java.util.Map.of("username", name, "password",
                "password-123")))).user();
    }

    private static Platform platform(JdbcStore store, List<GatewayEvent> added, int worker) {
        LocalEventBus bus = new LocalEventBus(store);
        bus.subscribe(e -> {
            if (e.type() == DispatchType.GUILD_MEMBER_ADD) {
                added.add(e);
            }
        });
        Clock clock = Clock.systemUTC();
        return new Platform(new Platform.Context(store, bus, clock, new Snowflakes(clock, 1, worker), new PasswordHasher(),
                PlatformLimits.defaults()));
    }
}
