package dev.gatehouse.rest.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.rest.http.ApiResponse;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    @Test
    void secondsHaveThreeDecimals() {
        assertThat(RateLimitHeaders.seconds(1_470_173_023_123L)).isEqualTo("1470173023.123");
        assertThat(RateLimitHeaders.seconds(64_570)).isEqualTo("64.570");
        assertThat(RateLimitHeaders.seconds(5)).isEqualTo("0.005");
        assertThat(RateLimitHeaders.seconds(0)).isEqualTo("0.000");
        assertThat(RateLimitHeaders.seconds(-20)).as("never negative").isEqualTo("0.000");
    }

    @Test
    void retryAfterHeaderRoundsUpToWholeSeconds() {
        assertThat(RateLimitHeaders.retryAfterHeader(1)).isEqualTo(1);
        assertThat(RateLimitHeaders.retryAfterHeader(1_000)).isEqualTo(1);
        assertThat(RateLimitHeaders.retryAfterHeader(1_001)).isEqualTo(2);
        assertThat(RateLimitHeaders.retryAfterHeader(3_600_000)).isEqualTo(3_600);
        assertThat(RateLimitHeaders.retryAfterHeader(0)).isEqualTo(0);
    }

    @Test
    void bucketIdIsAStableOpaqueHashOfTheName() {
        String id = RateLimitHeaders.bucketId("POST /channels/{channel.id}/messages");
        assertThat(id).matches("[0-9a-f]{32}").isEqualTo(RateLimitHeaders.bucketId("POST /channels/{channel.id}/messages"));
        assertThat(id).isNotEqualTo(RateLimitHeaders.bucketId("GET /channels/{channel.id}/messages"));
        assertThat(id).doesNotContain("channel");
    }

    @Test
    void quotaHeaders() {
        long now = 1_470_173_000_000L;
        ApiResponse r = RateLimitHeaders.quota(ApiResponse.ok("x"), "abc", 5, 2, now + 23_123, now);
        assertThat(r.headers()).containsEntry("X-RateLimit-Limit", "5")
                .containsEntry("X-RateLimit-Remaining", "3")
                .containsEntry("X-RateLimit-Reset", "1470173023.123")
                .containsEntry("X-RateLimit-Reset-After", "23.123")
                .containsEntry("X-RateLimit-Bucket", "abc");
        ApiResponse over = RateLimitHeaders.quota(ApiResponse.ok("x"), "abc", 5, 9, now + 1, now);
        assertThat(over.headers()).containsEntry("X-RateLimit-Remaining", "0");
    }

    @Test
    void tooManyBodyAndHeadersInBothDialects() {
        ApiResponse route = RateLimitHeaders.tooMany(Dialect.DISCORD, "You are being rate limited.", 64_570, false, "user");
        assertThat(route.status()).isEqualTo(429);
        assertThat(Json.string(route.body()))
                .isEqualTo("{\"message\":\"You are being rate limited.\",\"retry_after\":64.57,\"global\":false,\"code\":0}");
        assertThat(route.headers()).containsEntry("Retry-After", "65").containsEntry("X-RateLimit-Scope", "user")
                .doesNotContainKey("X-RateLimit-Global");

        ApiResponse global = RateLimitHeaders.tooMany(Dialect.FLUXER, "You are being rate limited.", 250, true, "global");
        assertThat(Json.string(global.body()))
                .isEqualTo("{\"message\":\"You are being rate limited.\",\"retry_after\":0.25,\"global\":true,\"code\":\"RATE_LIMITED\"}");
        assertThat(global.headers()).containsEntry("Retry-After", "1").containsEntry("X-RateLimit-Global", "true")
                .containsEntry("X-RateLimit-Scope", "global");
    }

    @Test
    void configRejectsNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimitConfig.defaults().withGlobal(0, 1_000))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimitConfig.defaults().withInvalidRequests(10, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RateLimitConfig.defaults().globalLimit()).isEqualTo(50);
        assertThat(RateLimitConfig.defaults().invalidLimit()).isEqualTo(10_000);
        assertThat(RateLimitConfig.defaults().invalidWindowMillis()).isEqualTo(600_000);
    }
}
