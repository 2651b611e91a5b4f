package dev.gatehouse.rest.ratelimit;

import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.rest.http.ApiRequest;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.Route;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discord's HTTP rate limits, in memory on this node.
 *
 * <ul>
 *   <li><b>Route buckets.</b> Each route names a bucket, a limit and a window. A request counts
 *       against the bucket name + its major parameter value (channel, guild or webhook id) + the
 *       caller: the user on authenticated routes, the client IP on open ones (so a token cannot
 *       buy a fresh login budget). Every routed answer carries the bucket headers; over the limit
 *       is a 429 with scope {@code user}.</li>
 *   <li><b>Global.</b> {@link RateLimitConfig#globalLimit} requests per window per user (per IP
 *       when unauthenticated) across all routes: 429 with {@code global: true}, scope
 *       {@code global}. It is counted before the route bucket, so a request it refuses costs the
 *       route nothing.</li>
 *   <li><b>Invalid requests.</b> 401, 403 and 429 answers are counted per client IP; reaching
 *       {@link RateLimitConfig#invalidLimit} in the window blocks the IP for
 *       {@link RateLimitConfig#blockMillis}: every request then gets a 429 before authentication.
 *       The block is reported as global (scope {@code global}, {@code X-RateLimit-Global}), because
 *       bot libraries answer a global 429 by pausing every request, which is what a block asks
 *       for; scope {@code shared} would have them pause one route and keep hitting the others.
 *       Answers to a blocked IP are not counted, so a block ends when it says it does.</li>
 * </ul>
 *
 * Counters live in {@link FixedWindows}, bounded and safe under concurrent virtual threads.
 */
public final class BucketRateLimits implements RateLimits {

    private static final String MESSAGE = ErrorCode.RATE_LIMITED.message();
    static final String BLOCKED_MESSAGE = "You are being blocked from accessing the API temporarily due to exceeding"
            + " rate limits frequently. Read the rate-limit headers and wait as they say to avoid this.";

    /** One route bucket of one caller: bucket name, major parameter value (or null), caller. */
    record BucketKey(String bucket, String major, String caller) {}

    private final RateLimitConfig config;
    private final Clock clock;
    private final FixedWindows<BucketKey> buckets;
    private final FixedWindows<String> global;
    private final FixedWindows<String> invalid;
    private final FixedWindows<String> blocked;
    private final ConcurrentHashMap<String, String> bucketIds = new ConcurrentHashMap<>();

    public BucketRateLimits(RateLimitConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.buckets = new FixedWindows<>(config.maxKeys(), config.sweepEveryMillis());
        this.global = new FixedWindows<>(config.maxKeys(), config.sweepEveryMillis());
        this.invalid = new FixedWindows<>(config.maxKeys(), config.sweepEveryMillis());
        this.blocked = new FixedWindows<>(config.maxKeys(), config.sweepEveryMillis());
    }

    @Override
    public Optional<ApiResponse> screen(ApiRequest request) {
        long now = clock.millis();
        FixedWindows.Window block = blocked.peek(request.clientIp(), now);
        if (block == null) {
            return Optional.empty();
        }
        return Optional.of(RateLimitHeaders.tooMany(request.dialect(), BLOCKED_MESSAGE, block.resetAt() - now, true,
                RateLimitHeaders.SCOPE_GLOBAL));
    }

    @Override
    public Optional<ApiResponse> admit(Route route, ApiRequest request) {
        long now = clock.millis();
        FixedWindows.Window g = global.hit(globalCaller(request), config.globalWindowMillis(), now);
        if (g.count() > config.globalLimit()) {
            return Optional.of(RateLimitHeaders.tooMany(request.dialect(), MESSAGE,
                    g.resetAt() - now, true, RateLimitHeaders.SCOPE_GLOBAL));
        }
        FixedWindows.Window b = buckets.hit(key(route, request), route.windowMillis(), now);
        if (b.count() > route.limit()) {
            ApiResponse refused = RateLimitHeaders.tooMany(request.dialect(), MESSAGE, b.resetAt() - now, false,
                    RateLimitHeaders.SCOPE_USER);
            return Optional.of(RateLimitHeaders.quota(refused, bucketId(route), route.limit(), b.count(), b.resetAt(), now));
        }
        return Optional.empty();
    }

    @Override
    public void complete(Route route, ApiRequest request, ApiResponse response) {
        long now = clock.millis();
        if (route != null && !response.headers().containsKey(RateLimitHeaders.LIMIT)) {
            // The bucket as it stands now; between admit and here only concurrent requests of the
            // same caller can have moved it, and then the newer count is the more useful one.
            FixedWindows.Window b = buckets.peek(key(route, request), now);
            RateLimitHeaders.quota(response, bucketId(route), route.limit(), b == null ? 0 : b.count(),
                    b == null ? now + route.windowMillis() : b.resetAt(), now);
        }
        int status = response.status();
        if ((status == 401 || status == 403 || status == 429) && blocked.peek(request.clientIp(), now) == null) {
            FixedWindows.Window w = invalid.hit(request.clientIp(), config.invalidWindowMillis(), now);
            if (w.count() >= config.invalidLimit()) {
                blocked.hit(request.clientIp(), config.blockMillis(), now);
                // start counting afresh once the block ends, even if the block is shorter than the window
                invalid.forget(request.clientIp());
            }
        }
    }

    private BucketKey key(Route route, ApiRequest request) {
        String major = route.majorParameter();
        String caller = route.authenticated() && request.isAuthenticated()
                ? "user:" + request.principal().userId()
                : "ip:" + request.clientIp();
        return new BucketKey(route.bucket(), major == null ? null : request.param(major), caller);
    }

    private static String globalCaller(ApiRequest request) {
        return request.isAuthenticated() ? "user:" + request.principal().userId() : "ip:" + request.clientIp();
    }

    private String bucketId(Route route) {
        return bucketIds.computeIfAbsent(route.bucket(), RateLimitHeaders::bucketId);
    }

    /** Counters held now in all tables together: for the memory-bound tests and metrics. */
    public int trackedKeys() {
        return buckets.size() + global.size() + invalid.size() + blocked.size();
    }
}
