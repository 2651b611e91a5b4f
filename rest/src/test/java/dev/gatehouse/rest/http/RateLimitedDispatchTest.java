package dev.gatehouse.rest.http;

import static dev.gatehouse.rest.http.Fixture.json;
import static dev.gatehouse.rest.http.Fixture.req;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.limit.LocalWindowCounters;
import dev.gatehouse.rest.FakeClock;
import dev.gatehouse.rest.ratelimit.BucketRateLimits;
import dev.gatehouse.rest.ratelimit.RateLimitConfig;
import dev.gatehouse.rest.ratelimit.RateLimitHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@link BucketRateLimits} behind the dispatcher, on a clock that only moves when told to. */
class RateLimitedDispatchTest {

    private static final long T0 = 1_470_173_000_000L;

    private final FakeClock clock = new FakeClock(T0);
    private final Fixture fixture = new Fixture();
    private BucketRateLimits limits = new BucketRateLimits(RateLimitConfig.defaults(), clock);
    private ApiDispatcher dispatcher = new ApiDispatcher(fixture.routes(), Fixture.AUTH, limits);

    private void configure(RateLimitConfig config) {
        limits = new BucketRateLimits(config, clock);
        dispatcher = new ApiDispatcher(fixture.routes(), Fixture.AUTH, limits);
    }

    private ApiResponse send(Fixture.Req r) {
        return dispatcher.dispatch(r.build());
    }

    private ApiResponse guildThings(String guild, String token) {
        return send(req("GET", "/api/v10/guilds/" + guild + "/things").token(token));
    }

    @Test
    void everyRoutedAnswerCarriesTheBucketHeaders() {
        ApiResponse first = guildThings("1", "alice-token");
        assertThat(first.headers()).containsEntry("X-RateLimit-Limit", "3")
                .containsEntry("X-RateLimit-Remaining", "2")
                .containsEntry("X-RateLimit-Reset", "1470173010.000")
                .containsEntry("X-RateLimit-Reset-After", "10.000")
                .containsEntry("X-RateLimit-Bucket", RateLimitHeaders.bucketId("guild things"));
        clock.advance(2_345);
        ApiResponse second = guildThings("1", "alice-token");
        assertThat(second.headers()).containsEntry("X-RateLimit-Remaining", "1")
                .containsEntry("X-RateLimit-Reset", "1470173010.000")
                .containsEntry("X-RateLimit-Reset-After", "7.655");

        // answers that never reached the route still say where the caller's bucket stands
        ApiResponse forbidden = send(req("GET", "/api/v10/guilds/1/secret").token("alice-token"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.headers()).containsKeys("X-RateLimit-Limit", "X-RateLimit-Bucket");
        ApiResponse unauthorized = send(req("GET", "/api/v10/guilds/1/things"));
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.headers()).containsEntry("X-RateLimit-Remaining", "3");
        ApiResponse notModified = send(req("GET", "/api/v10/things/@me").token("alice-token")
                .header("If-None-Match", send(req("GET", "/api/v10/things/@me").token("alice-token")).headers().get("ETag")));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.headers()).containsEntry("X-RateLimit-Remaining", "48");

        // no route, no bucket
        assertThat(send(req("GET", "/api/v10/nowhere").token("alice-token")).headers()).doesNotContainKey("X-RateLimit-Limit");
    }

    @Test
    void overTheRouteLimitIs429AndTheRouteDoesNotRun() {
        for (int i = 0; i < 3; i++) {
            assertThat(guildThings("1", "alice-token").status()).isEqualTo(200);
        }
        clock.advance(1_500);
        ApiResponse refused = guildThings("1", "alice-token");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(json(refused).toString())
                .isEqualTo("{\"message\":\"You are being rate limited.\",\"retry_after\":8.5,\"global\":false,\"code\":0}");
        assertThat(refused.headers()).containsEntry("Retry-After", "9")
                .containsEntry("X-RateLimit-Scope", "user")
                .containsEntry("X-RateLimit-Limit", "3")
                .containsEntry("X-RateLimit-Remaining", "0")
                .containsEntry("X-RateLimit-Reset-After", "8.500")
                .containsEntry("X-RateLimit-Bucket", RateLimitHeaders.bucketId("guild things"))
                .doesNotContainKey("X-RateLimit-Global");
        assertThat(fixture.runs("guild")).isEqualTo(3);

        ApiResponse fluxer = send(req("GET", "/api/v1/guilds/1/things").token("alice-token"));
        assertThat(json(fluxer).get("code").asText()).isEqualTo("RATE_LIMITED");

        clock.advance(8_499);
        assertThat(guildThings("1", "alice-token").status()).as("1 ms early").isEqualTo(429);
        clock.advance(1);
        ApiResponse after = guildThings("1", "alice-token");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.headers()).containsEntry("X-RateLimit-Remaining", "2").containsEntry("X-RateLimit-Reset-After", "10.000");
    }

    @Test
    void bucketsAreSplitByMajorParameterAndCallerButShareTheirId() {
        for (int i = 0; i < 3; i++) {
            guildThings("1", "alice-token");
        }
        assertThat(guildThings("1", "alice-token").status()).isEqualTo(429);
        ApiResponse otherGuild = guildThings("2", "alice-token");
        assertThat(otherGuild.status()).isEqualTo(200);
        assertThat(otherGuild.headers()).containsEntry("X-RateLimit-Remaining", "2");
        ApiResponse otherUser = guildThings("1", "bob-token");
        assertThat(otherUser.status()).isEqualTo(200);
        assertThat(otherUser.headers()).containsEntry("X-RateLimit-Remaining", "2");
        assertThat(otherGuild.headers().get("X-RateLimit-Bucket")).isEqualTo(otherUser.headers().get("X-RateLimit-Bucket"));
    }

    @Test
    void openRoutesCountPerClientIpAndNamedBucketsAreShared() {
        assertThat(send(req("POST", "/api/v10/login").ip("198.51.100.7")).status()).isEqualTo(200);
        // a token does not buy a fresh budget on an open route, and register shares login's bucket
        assertThat(send(req("POST", "/api/v10/register").ip("198.51.100.7").token("alice-token")).status()).isEqualTo(201);
        ApiResponse third = send(req("POST", "/api/v10/login").ip("198.51.100.7").token("bob-token"));
        assertThat(third.status()).isEqualTo(429);
        assertThat(json(third).get("retry_after").asDouble()).isEqualTo(60.0);
        assertThat(send(req("POST", "/api/v10/login").ip("198.51.100.8")).status()).as("another address").isEqualTo(200);
    }

    @Test
    void globalLimitCoversEveryRoutePerUser() {
        for (int i = 0; i < 25; i++) {
            assertThat(send(req("GET", "/api/v10/things/@me").token("alice-token")).status()).isEqualTo(200);
            assertThat(send(req("GET", "/api/v10/channels/" + i + "/things").token("alice-token")).status()).isEqualTo(200);
        }
        clock.advance(400);
        ApiResponse refused = send(req("GET", "/api/v10/channels/99/things").token("alice-token"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(json(refused).toString())
                .isEqualTo("{\"message\":\"You are being rate limited.\",\"retry_after\":0.6,\"global\":true,\"code\":0}");
        assertThat(refused.headers()).containsEntry("X-RateLimit-Global", "true")
                .containsEntry("X-RateLimit-Scope", "global")
                .containsEntry("Retry-After", "1");
        // the route bucket was not charged for the refused request
        assertThat(refused.headers()).containsEntry("X-RateLimit-Remaining", "100");
        assertThat(fixture.runs("channel")).isEqualTo(25);

        assertThat(send(req("GET", "/api/v10/things/@me").token("bob-token")).status()).as("per user").isEqualTo(200);
        clock.advance(600);
        assertThat(send(req("GET", "/api/v10/channels/99/things").token("alice-token")).status()).isEqualTo(200);
    }

    @Test
    void globalLimitCountsUnauthenticatedCallersPerIp() {
        for (int i = 0; i < 50; i++) {
            assertThat(send(req("GET", "/api/v10/public").ip("203.0.113.5")).status()).isEqualTo(200);
        }
        ApiResponse refused = send(req("GET", "/api/v10/public").ip("203.0.113.5"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(json(refused).get("global").asBoolean()).isTrue();
        assertThat(send(req("GET", "/api/v10/public").ip("203.0.113.6")).status()).isEqualTo(200);
        // with a token the user's own global budget applies (the open route's bucket stays per IP)
        assertThat(send(req("GET", "/api/v10/things/@me").ip("203.0.113.5").token("alice-token")).status()).isEqualTo(200);
        ApiResponse openRoute = send(req("GET", "/api/v10/public").ip("203.0.113.5").token("alice-token"));
        assertThat(openRoute.status()).isEqualTo(429);
        assertThat(json(openRoute).get("global").asBoolean()).isFalse();
    }

    @Test
    void tooManyInvalidRequestsBlockTheIp() {
        configure(RateLimitConfig.defaults().withInvalidRequests(6, 10_000, 60_000));
        String ip = "192.0.2.66";
        // 401, 403 and 429 all count
        assertThat(send(req("GET", "/api/v10/things/@me").ip(ip)).status()).isEqualTo(401);
        assertThat(send(req("GET", "/api/v10/things/@me").ip(ip).token("forged")).status()).isEqualTo(401);
        assertThat(send(req("GET", "/api/v10/guilds/1/secret").ip(ip).token("alice-token")).status()).isEqualTo(403);
        // two admitted logins, then three 429s; the last is the sixth invalid request: answered, then blocked
        for (int i = 0; i < 5; i++) {
            assertThat(send(req("POST", "/api/v10/login").ip(ip)).status()).isEqualTo(i < 2 ? 200 : 429);
        }
        ApiResponse blocked = send(req("GET", "/api/v10/things/@me").ip(ip).token("alice-token"));
        assertThat(blocked.status()).isEqualTo(429);
        JsonNode body = json(blocked);
        assertThat(body.get("message").asText()).contains("blocked");
        assertThat(body.get("global").asBoolean()).isTrue();
        assertThat(body.get("retry_after").asDouble()).isEqualTo(60.0);
        assertThat(blocked.headers()).containsEntry("Retry-After", "60").containsEntry("X-RateLimit-Global", "true")
                .containsEntry("X-RateLimit-Scope", "global");
        assertThat(fixture.runs("me")).as("blocked before the route").isZero();
        assertThat(json(send(req("GET", "/api/v1/public").ip(ip))).get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(send(req("GET", "/api/v9/bad-version").ip(ip)).status()).as("everything under /api").isEqualTo(429);
        assertThat(send(req("GET", "/api/v7/x").ip(ip)).status()).isEqualTo(429);

        assertThat(send(req("GET", "/api/v10/things/@me").ip("192.0.2.67").token("alice-token")).status())
                .as("other addresses are not affected").isEqualTo(200);

        // answers to a blocked IP are not counted, so the block ends when it said it would
        for (int i = 0; i < 20; i++) {
            send(req("GET", "/api/v10/things/@me").ip(ip));
        }
        clock.advance(59_999);
        assertThat(send(req("GET", "/api/v10/public").ip(ip)).status()).isEqualTo(429);
        clock.advance(1);
        assertThat(send(req("GET", "/api/v10/things/@me").ip(ip).token("alice-token")).status()).isEqualTo(200);
    }

    /**
     * Two nodes counting in one shared store (as a cluster's Redis): a caller alternating nodes is
     * limited as against one, and an IP blocked through one node is blocked on the other.
     */
    @Test
    void nodesSharingTheirCountersLimitACallerAsOneNodeWould() {
        RateLimitConfig config = RateLimitConfig.defaults().withInvalidRequests(4, 10_000, 60_000);
        LocalWindowCounters shared = new LocalWindowCounters(1_000, 60_000);
        ApiDispatcher a = new ApiDispatcher(fixture.routes(), Fixture.AUTH, new BucketRateLimits(config, clock, shared));
        ApiDispatcher b = new ApiDispatcher(fixture.routes(), Fixture.AUTH, new BucketRateLimits(config, clock, shared));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add((i % 2 == 0 ? a : b).dispatch(req("GET", "/api/v10/guilds/1/things").token("alice-token").build()).status());
        }
        assertThat(statuses).as("3 per window in all, whichever node").containsExactly(200, 200, 200, 429, 429, 429);

        String ip = "192.0.2.90";
        for (int i = 0; i < 4; i++) {
            assertThat((i % 2 == 0 ? a : b).dispatch(req("GET", "/api/v10/things/@me").ip(ip).build()).status()).isEqualTo(401);
        }
        ApiResponse blocked = a.dispatch(req("GET", "/api/v10/things/@me").ip(ip).token("alice-token").build());
        assertThat(blocked.status()).as("blocked after four invalid requests, two on each node").isEqualTo(429);
        assertThat(json(b.dispatch(req("GET", "/api/v10/public").ip(ip).build())).get("message").asText()).contains("blocked");
    }

    @Test
    void aBlockShorterThanTheWindowStartsTheCountAfresh() {
        configure(RateLimitConfig.defaults().withInvalidRequests(3, 600_000, 1_000));
        String ip = "192.0.2.80";
        for (int i = 0; i < 3; i++) {
            send(req("GET", "/api/v10/things/@me").ip(ip));
        }
        assertThat(send(req("GET", "/api/v10/public").ip(ip)).status()).isEqualTo(429);
        clock.advance(1_000);
        for (int i = 0; i < 2; i++) {
            assertThat(send(req("GET", "/api/v10/things/@me").ip(ip)).status()).isEqualTo(401);
        }
        assertThat(send(req("GET", "/api/v10/public").ip(ip)).status()).isEqualTo(200);
    }

    @Test
    void invalidRequestsOutsideTheWindowDoNotAddUp() {
        configure(RateLimitConfig.defaults().withInvalidRequests(5, 10_000, 60_000));
        String ip = "192.0.2.70";
        for (int i = 0; i < 4; i++) {
            send(req("GET", "/api/v10/things/@me").ip(ip));
        }
        clock.advance(10_000);
        for (int i = 0; i < 4; i++) {
            send(req("GET", "/api/v10/things/@me").ip(ip));
        }
        assertThat(send(req("GET", "/api/v10/things/@me").ip(ip).token("alice-token")).status()).isEqualTo(200);
        // 404s and 400s are not invalid requests in this sense
        for (int i = 0; i < 10; i++) {
            send(req("GET", "/api/v10/nowhere").ip(ip));
            send(req("POST", "/api/v10/things").ip(ip).token("alice-token").body("{"));
        }
        assertThat(send(req("GET", "/api/v10/things/@me").ip(ip).token("alice-token")).status()).isEqualTo(200);
    }

    @Test
    void concurrentRequestsAdmitExactlyTheLimit() throws Exception {
        configure(RateLimitConfig.defaults().withGlobal(100_000, 1_000));
        int threads = 16;
        int each = 25;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<int[]>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    go.await();
                    int[] counts = new int[2];
                    for (int i = 0; i < each; i++) {
                        int status = send(req("GET", "/api/v10/channels/7/things").token("alice-token")).status();
                        counts[status == 200 ? 0 : 1]++;
                    }
                    return counts;
                }));
            }
            go.countDown();
            int ok = 0;
            int limited = 0;
            for (Future<int[]> f : results) {
                ok += f.get()[0];
                limited += f.get()[1];
            }
            assertThat(ok).isEqualTo(100);
            assertThat(limited).isEqualTo(threads * each - 100);
            assertThat(fixture.runs("channel")).isEqualTo(100);
        }
    }

    @Test
    void aFloodOfDistinctBucketsStaysBoundedAndExpires() {
        configure(RateLimitConfig.defaults().withGlobal(1_000_000, 1_000).withMaxKeys(1_000, 60_000));
        for (int i = 0; i < 20_000; i++) {
            send(req("GET", "/api/v10/channels/" + i + "/things").token("alice-token"));
            assertThat(limits.trackedKeys()).isLessThanOrEqualTo(4 * 1_001);
        }
        clock.advance(60_000);
        send(req("GET", "/api/v10/things/@me").token("alice-token"));
        assertThat(limits.trackedKeys()).as("closed windows swept").isLessThanOrEqualTo(2);
    }
}
