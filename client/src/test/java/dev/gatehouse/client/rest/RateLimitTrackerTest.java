package dev.gatehouse.client.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RateLimitTrackerTest {

    final RateLimitTracker limits = new RateLimitTracker();
    long now = 10_000;

    static Function<String, String> headers(Map<String, String> h) {
        return h::get;
    }

    static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    @Test
    void routesKeepTheMajorParameterAndHideOtherIds() {
        assertThat(Route.of("POST", "/channels/123456789012/messages")).isEqualTo(new Route("POST /channels/{major}/messages", "123456789012"));
        assertThat(Route.of("DELETE", "/channels/123456789012/messages/998877665544")).isEqualTo(
                new Route("DELETE /channels/{major}/messages/{id}", "123456789012"));
        assertThat(Route.of("GET", "/users/@me")).isEqualTo(new Route("GET /users/@me", ""));
        assertThat(Route.of("GET", "/guilds/5555555555/members?limit=5").key()).isEqualTo("GET /guilds/{major}/members");
    }

    @Test
    void anEmptyBucketWaitsForItsReset() {
        Route r = Route.of("POST", "/channels/123456789012/messages");
        assertThat(limits.delayBefore(r, now)).isZero();
        limits.update(r, 200, headers(Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "2.5",
                "X-RateLimit-Bucket", "abc")), null, now);
        assertThat(limits.delayBefore(r, now)).isEqualTo(2_500);
        assertThat(limits.delayBefore(Route.of("POST", "/channels/999999999999/messages"), now)).as("another channel").isZero();
        assertThat(limits.delayBefore(r, now + 2_500)).isZero();
    }

    @Test
    void routesThatShareABucketShareItsCount() {
        Route send = Route.of("POST", "/channels/123456789012/messages");
        Route edit = Route.of("PATCH", "/channels/123456789012/messages/55555555555");
        limits.update(edit, 200, headers(Map.of("X-RateLimit-Bucket", "shared", "X-RateLimit-Remaining", "3",
                "X-RateLimit-Reset-After", "1")), null, now);
        limits.update(send, 200, headers(Map.of("X-RateLimit-Bucket", "shared", "X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset-After", "1")), null, now);
        assertThat(limits.delayBefore(edit, now)).isEqualTo(1_000);
    }

    @Test
    void a429WaitsItsRetryAfterAndAGlobalOneHoldsEveryRoute() throws Exception {
        Route r = Route.of("POST", "/channels/123456789012/messages");
        long wait = limits.update(r, 429, headers(Map.of()), json("{\"retry_after\":0.75,\"global\":false}"), now);
        assertThat(wait).isEqualTo(750);
        assertThat(limits.delayBefore(r, now)).isEqualTo(750);
        assertThat(limits.delayBefore(Route.of("GET", "/users/@me"), now)).isZero();

        long global = limits.update(Route.of("GET", "/users/@me"), 429, headers(Map.of("X-RateLimit-Global", "true")),
                json("{\"retry_after\":2,\"global\":true}"), now);
        assertThat(global).isEqualTo(2_000);
        assertThat(limits.delayBefore(Route.of("GET", "/guilds/1234567890"), now)).isEqualTo(2_000);
    }

    @Test
    void aMissingBodyFallsBackToRetryAfterAndGarbageIsHarmless() {
        Route r = Route.of("GET", "/users/@me");
        assertThat(limits.update(r, 429, headers(Map.of("Retry-After", "3")), null, now)).isEqualTo(3_000);
        Route other = Route.of("GET", "/gateway/bot");
        assertThat(limits.update(other, 200, headers(Map.of("X-RateLimit-Remaining", "x", "X-RateLimit-Reset-After", "y")), null, now))
                .isZero();
        assertThat(limits.delayBefore(other, now)).isZero();
    }

    @Test
    void bucketsWhoseWindowIsOverAreForgotten() {
        for (int i = 0; i < RateLimitTracker.PRUNE_EVERY - 1; i++) {
            limits.update(Route.of("POST", "/channels/" + (100000000000L + i) + "/messages"), 200,
                    headers(Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "1")), null, now);
        }
        assertThat(limits.trackedBuckets()).isEqualTo(RateLimitTracker.PRUNE_EVERY - 1);
        Route live = Route.of("GET", "/users/@me");
        limits.update(live, 200, headers(Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "5")), null, now + 2_000);
        assertThat(limits.trackedBuckets()).as("only the bucket still in its window").isEqualTo(1);
        assertThat(limits.delayBefore(live, now + 2_000)).isEqualTo(5_000);
    }
}
