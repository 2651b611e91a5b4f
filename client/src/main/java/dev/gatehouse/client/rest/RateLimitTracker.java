package dev.gatehouse.client.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Discord's HTTP rate limits as a client tracks them, without I/O: before a request, how long to
 * wait; after the response, what its {@code X-RateLimit-*} headers or 429 body taught. Buckets are
 * learned from {@code X-RateLimit-Bucket} (routes that share one share the count) and split by the
 * major parameter; a global 429 holds every route. Thread-safe.
 */
public final class RateLimitTracker {

    private static final class State {
        int remaining = 1;
        long resetAt;
    }

    private final Map<String, String> bucketOfRoute = new HashMap<>();
    private final Map<String, State> states = new HashMap<>();
    private long globalUntil;
    private long updates;
    /** How often (in responses) buckets whose window is over are forgotten, so a long-lived client does not grow. */
    static final int PRUNE_EVERY = 1_000;

    private String stateKey(Route route) {
        return bucketOfRoute.getOrDefault(route.key(), route.key()) + " " + route.major();
    }

    /** Milliseconds to wait before sending a request on the route (0: now). */
    public synchronized long delayBefore(Route route, long now) {
        long wait = Math.max(0, globalUntil - now);
        State s = states.get(stateKey(route));
        if (s != null && s.remaining <= 0 && s.resetAt > now) {
            wait = Math.max(wait, s.resetAt - now);
        }
        return wait;
    }

    /**
     * Learns from a response. {@code header} looks a header up by name (null when absent);
     * {@code body} is the parsed body or null. Returns, for a 429, how long to wait before the
     * retry; otherwise 0.
     */
    public synchronized long update(Route route, int status, Function<String, String> header, JsonNode body, long now) {
        if (++updates % PRUNE_EVERY == 0) {
            states.values().removeIf(s -> s.resetAt <= now); // a window that is over holds nothing back
        }
        String bucket = header.apply("X-RateLimit-Bucket");
        if (bucket != null) {
            bucketOfRoute.put(route.key(), bucket);
        }
        State s = states.computeIfAbsent(stateKey(route), k -> new State());
        String remaining = header.apply("X-RateLimit-Remaining");
        String resetAfter = header.apply("X-RateLimit-Reset-After");
        if (remaining != null && resetAfter != null) {
            s.remaining = parseInt(remaining, 1);
            s.resetAt = now + seconds(resetAfter);
        }
        if (status != 429) {
            return 0;
        }
        long retryAfter = body != null && body.has("retry_after") ? (long) Math.ceil(body.get("retry_after").asDouble() * 1000)
                : seconds(header.apply("Retry-After"));
        retryAfter = Math.max(retryAfter, 1);
        boolean global = "true".equalsIgnoreCase(header.apply("X-RateLimit-Global"))
                || (body != null && body.path("global").asBoolean(false));
        if (global) {
            globalUntil = Math.max(globalUntil, now + retryAfter);
        } else {
            s.remaining = 0;
            s.resetAt = Math.max(s.resetAt, now + retryAfter);
        }
        return retryAfter;
    }

    /** How many buckets are tracked (tests). */
    synchronized int trackedBuckets() {
        return states.size();
    }

    private static int parseInt(String v, int fallback) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Seconds (possibly fractional) as milliseconds, rounded up; 0 when absent or malformed. */
    private static long seconds(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return (long) Math.ceil(Double.parseDouble(v.trim()) * 1000);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
