package dev.gatehouse.client.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST client against a real server with its rate limits on (5 messages per 5 s per channel). */
class RestClientTest {

    static TestServer server;
    static Account owner;
    static long channelId;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c); // rate limits stay on
        owner = server.api().register("rest");
        long guild = server.api().createGuild(owner, "REST").get("id").asLong();
        channelId = server.api().firstTextChannel(guild, owner.token());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    RestClient client() {
        return RestClient.create(URI.create(server.baseUrl() + "/api/v10"), owner.token());
    }

    @Test
    void aBurstOverTheLimitWaitsInsteadOfBeingRefused() {
        RestClient rest = client();
        List<CompletableFuture<RestClient.Response>> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(rest.request("POST", "/channels/" + channelId + "/messages", Map.of("content", "burst " + i)));
        }
        List<String> contents = sent.stream().map(CompletableFuture::join).peek(r -> assertThat(r.status()).isEqualTo(200))
                .map(r -> r.body().get("content").asText()).toList();
        assertThat(contents).as("in order").containsExactly("burst 0", "burst 1", "burst 2", "burst 3", "burst 4", "burst 5",
                "burst 6", "burst 7");
        assertThat(rest.rateLimitedResponses()).as("the headers said when to wait: no 429").isZero();
    }

    @Test
    void a429FromSomeoneElsesUseIsWaitedOutAndRetried() {
        RestClient first = client();
        RestClient second = client(); // same token, its own view of the limits: it will run into them
        for (int i = 0; i < 5; i++) {
            assertThat(first.request("POST", "/channels/" + channelId + "/messages", Map.of("content", "first " + i)).join().status())
                    .isEqualTo(200);
        }
        RestClient.Response late = second.request("POST", "/channels/" + channelId + "/messages", Map.of("content", "second")).join();
        assertThat(late.status()).isEqualTo(200);
        assertThat(second.rateLimitedResponses()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void errorsComeBackAsResponses() {
        RestClient.Response r = client().request("GET", "/channels/1234567890123/messages", null).join();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().get("code").asInt()).isPositive();
    }
}
