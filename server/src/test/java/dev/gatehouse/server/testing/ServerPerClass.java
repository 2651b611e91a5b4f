package dev.gatehouse.server.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class's own server (rate limits off) and its API client, started before the class's
 * tests and closed after them; the recorded bus events are cleared before each test. The fields
 * are static so the class's static helpers and {@code @BeforeAll} fixtures can use them: test
 * classes run one after another.
 */
public abstract class ServerPerClass {

    protected static TestServer server;
    protected static ApiClient api;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        api = server.api();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void clearRecordedEvents() {
        server.events().clear();
    }
}
