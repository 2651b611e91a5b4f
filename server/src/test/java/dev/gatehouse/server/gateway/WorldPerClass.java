package dev.gatehouse.server.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A gateway test class's own world (server, owner, guild, channel), started before the class's
 * tests and closed after them. Static so the class's static helpers can use it: test classes run
 * one after another.
 */
abstract class WorldPerClass {

    static GatewayWorld world;

    @BeforeAll
    static void startWorld() {
        world = GatewayWorld.start();
    }

    @AfterAll
    static void stopWorld() {
        world.close();
    }
}
