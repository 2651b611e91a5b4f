package dev.gatehouse.rest.ratelimit;

import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.rest.http.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The wire form of rate limits: Discord's headers and 429 body, kept apart from the counting. */
public final class RateLimitHeaders {

    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";
    public static final String RESET_AFTER = "X-RateLimit-Reset-After";
    public static final String BUCKET = "X-RateLimit-Bucket";
    public static final String GLOBAL = "X-RateLimit-Global";
    public static final String SCOPE = "X-RateLimit-Scope";
    public static final String RETRY_AFTER = "Retry-After";

    /** Scope of a 429 that one caller's use of one bucket caused. */
    public static final String SCOPE_USER = "user";
    /** Scope of a 429 that covers every route: the global limit, or the IP block. */
    public static final String SCOPE_GLOBAL = "global";

    private RateLimitHeaders() {}

    /** Milliseconds as seconds with three decimals ({@code 1470173023123} gives {@code "1470173023.123"}). */
    public static String seconds(long millis) {
        long m = Math.max(0, millis);
        return String.format(Locale.ROOT, "%d.%03d", m / 1000, m % 1000);
    }

    /** {@code Retry-After} is whole seconds; rounding up so a client that obeys it is never early. */
    public static long retryAfterHeader(long millis) {
        return Math.max(0, (millis + 999) / 1000);
    }

    /**
     * The opaque {@code X-RateLimit-Bucket} of a bucket name: stable across restarts and nodes, and
     * the same for every major parameter value, as Discord's is.
     */
    public static String bucketId(String bucketName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bucketName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds the bucket headers. {@code resetAt} is when the bucket's window closes; a bucket with no
     * open window reports a full one starting now.
     */
    public static ApiResponse quota(ApiResponse response, String bucketId, int limit, long used, long resetAt, long now) {
        return response.header(LIMIT, Integer.toString(limit))
                .header(REMAINING, Long.toString(Math.max(0, limit - used)))
                .header(RESET, seconds(resetAt))
                .header(RESET_AFTER, seconds(resetAt - now))
                .header(BUCKET, bucketId);
    }

    /** A 429: {@code {message, retry_after, global, code}} with {@code Retry-After} and the scope. */
    public static ApiResponse tooMany(Dialect dialect, String message, long retryAfterMillis, boolean global, String scope) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("retry_after", Math.max(0, retryAfterMillis) / 1000.0);
        body.put("global", global);
        body.put("code", dialect == Dialect.FLUXER ? ErrorCode.RATE_LIMITED.name() : ErrorCode.RATE_LIMITED.numeric());
        ApiResponse response = ApiResponse.json(ErrorCode.RATE_LIMITED.httpStatus(), body)
                .header(RETRY_AFTER, Long.toString(retryAfterHeader(retryAfterMillis)))
                .header(SCOPE, scope);
        return global ? response.header(GLOBAL, "true") : response;
    }
}
