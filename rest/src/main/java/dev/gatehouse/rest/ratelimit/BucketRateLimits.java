package dev.gatehouse.rest.ratelimit;

import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.limit.LocalWindowCounters;
import dev.gatehouse.core.limit.WindowCounters;
import dev.gatehouse.rest.http.ApiRequest;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.Route;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discord's HTTP rate limits, counted on this node or, in a cluster, in counters the nodes share,
 * so a client alternating nodes is limited as against one.
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
 * Counters are {@link WindowCounters}: this node's own (bounded, safe under concurrent virtual
 * threads) or shared, with the four tables apart by key prefix.
 */
public final class BucketRateLimits implements RateLimits {

    private static final String MESSAGE = ErrorCode.RATE_LIMITED.message();
    static final String BLOCKED_MESSAGE = "You are being blocked from accessing the API temporarily due to exceeding"
            + " rate limits frequently. Read the rate-limit headers and wait as they say to avoid this.";

    private final RateLimitConfig config;
    private final Clock clock;
    private final WindowCounters buckets;
    private final WindowCounters global;
    private final WindowCounters invalid;
    private final WindowCounters blocked;
    private final ConcurrentHashMap<String, String> bucketIds = new ConcurrentHashMap<>();

    /** Limits counted on this node. */
    public BucketRateLimits(RateLimitConfig config, Clock clock) {
        this(config, clock, new LocalWindowCounters(config.maxKeys(), config.sweepEveryMillis()),
                new LocalWindowCounters(config.maxKeys(), config.sweepEveryMillis()),
                new LocalWindowCounters(config.maxKeys(), config.sweepEveryMillis()),
                new LocalWindowCounters(config.maxKeys(), config.sweepEveryMillis()));
    }

    /** Limits counted in {@code shared}, which the nodes of a cluster have in common. */
    public BucketRateLimits(RateLimitConfig config, Clock clock, WindowCounters shared) {
        this(config, clock, Prefixed.of(shared, "bucket:"), Prefixed.of(shared, "global:"), Prefixed.of(shared, "invalid:"),
                Prefixed.of(shared, "blocked:"));
    }

    private BucketRateLimits(RateLimitConfig config, Clock clock, WindowCounters buckets, WindowCounters global,
            WindowCounters invalid, WindowCounters blocked) {
        this.config = config;
        this.clock = clock;
        this.buckets = buckets;
        this.global = global;
        this.invalid = invalid;
        this.blocked = blocked;
    }

    /** One table of several in one store of counters. */
    private record Prefixed(WindowCounters store, String prefix) implements WindowCounters {
        static WindowCounters of(WindowCounters store, String prefix) {
            return new Prefixed(store, prefix);
        }

        @Override
        public Window hit(String key, long windowMillis, long now) {
            return store.hit(prefix + key, windowMillis, now);
        }

        @Override
        public Window peek(String key, long now) {
            return store.peek(prefix + key, now);
        }

        @Override
        public void forget(String key) {
            store.forget(prefix + key);
        }
    }

    @Override
    public Optional<ApiResponse> screen(ApiRequest request) {
        long now = clock.millis();
        WindowCounters.Window block = blocked.peek(request.clientIp(), now);
        if (block == null) {
            return Optional.empty();
        }
        return Optional.of(RateLimitHeaders.tooMany(request.dialect(), BLOCKED_MESSAGE, block.resetAt() - now, true,
                RateLimitHeaders.SCOPE_GLOBAL));
    }

    @Override
    public Optional<ApiResponse> admit(Route route, ApiRequest request) {
        long now = clock.millis();
        WindowCounters.Window g = global.hit(globalCaller(request), config.globalWindowMillis(), now);
        if (g.count() > config.globalLimit()) {
            return Optional.of(RateLimitHeaders.tooMany(request.dialect(), MESSAGE,
                    g.resetAt() - now, true, RateLimitHeaders.SCOPE_GLOBAL));
        }
        WindowCounters.Window b = buckets.hit(key(route, request), route.windowMillis(), now);
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
            WindowCounters.Window b = buckets.peek(key(route, request), now);
            RateLimitHeaders.quota(response, bucketId(route), route.limit(), b == null ? 0L : b.count(),
                    b == null ? now + route.windowMillis() : b.resetAt(), now);
        }
        int status = response.status();
        if ((status == 401 || status == 403 || status == 429) && blocked.peek(request.clientIp(), now) == null) {
            WindowCounters.Window w = invalid.hit(request.clientIp(), config.invalidWindowMillis(), now);
            if (w.count() >= config.invalidLimit()) {
                blocked.hit(request.clientIp(), config.blockMillis(), now);
                // start counting afresh once the block ends, even if the block is shorter than the window
                invalid.forget(request.clientIp());
            }
        }
    }

    /** One route bucket of one caller: bucket name, major parameter value (or none), caller. */
    private static String key(Route route, ApiRequest request) {
        String major = route.majorParameter();
        String caller = route.authenticated() && request.isAuthenticated()
                ? "user:" + request.principal().userId()
                : "ip:" + request.clientIp();
        return route.bucket() + "|" + (major == null ? "" : request.param(major)) + "|" + caller;
    }

    private static String globalCaller(ApiRequest request) {
        return request.isAuthenticated() ? "user:" + request.principal().userId() : "ip:" + request.clientIp();
    }

    private String bucketId(Route route) {
        return bucketIds.computeIfAbsent(route.bucket(), RateLimitHeaders::bucketId);
    }

    /** Counters held now in all tables together, when they are this node's: for the memory-bound tests and metrics. */
    public int trackedKeys() {
        int sum = 0;
        for (WindowCounters table : List.of(buckets, global, invalid, blocked)) {
            sum += table instanceof LocalWindowCounters local ? local.size() : 0;
        }
        return sum;
    }
}
