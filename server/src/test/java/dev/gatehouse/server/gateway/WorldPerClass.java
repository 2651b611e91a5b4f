package dev.gatehouse.server.gateway;

import dev.gatehouse.server.testing.OffsetClock;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A gateway test class's own world (server, owner, guild, channel), started before the class's
 * tests and closed after them. Static so the class's static helpers can use it: test classes run
 * one after another. The world's server keeps time by {@link #clock}, which runs with the wall
 * clock until a test moves it forward past a server-side window instead of sleeping through it.
 */
abstract class WorldPerClass {

    static GatewayWorld world;
    static OffsetClock clock;

    @BeforeAll
    static void startWorld() {
        clock = new OffsetClock();
        world = GatewayWorld.start(UnaryOperator.identity(), clock);
    }

    @AfterAll
    static void stopWorld() {
        world.close();
    }
}
