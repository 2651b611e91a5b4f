package dev.gatehouse.cluster;

import dev.gatehouse.core.limit.WindowCounters;
import java.util.List;
import java.util.function.LongSupplier;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * {@link WindowCounters} on Redis, shared by the nodes of a cluster: one round trip per hit, a
 * script that increments the key, starts its expiry with the first hit, and answers the count and
 * the time left. Redis runs a script alone, so concurrent hits from any number of nodes each get a
 * distinct count, and a key expires with its window, so nothing needs sweeping. Windows are kept
 * by Redis's clock; the {@code now} passed in only turns the time left into an epoch millisecond.
 * Chosen over NATS KV by measurement (bench {@code CounterEngines}: NATS KV needs a read and a
 * compare-and-set write per hit, retried under contention).
 */
public final class RedisWindowCounter implements WindowCounters {

    static final String HIT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local left = redis.call('PTTL', KEYS[1])
            if left < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              left = tonumber(ARGV[1])
            end
            return {n, left}
            """;

    static final String PEEK = """
            local n = redis.call('GET', KEYS[1])
            if not n then return false end
            return {tonumber(n), redis.call('PTTL', KEYS[1])}
            """;

    private final RedisClient redis;
    private final String prefix;
    private final LongSupplier clock;
    private volatile String hitSha;
    private volatile String peekSha;

    /** @param prefix namespaces the keys ({@code gatehouse:limits:}), so tests and deployments can share a Redis */
    public RedisWindowCounter(RedisClient redis, String prefix, LongSupplier clock) {
        this.redis = redis;
        this.prefix = prefix;
        this.clock = clock;
    }

    @Override
    public Window hit(String key, long windowMillis, long now) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("a window lasts at least a millisecond");
        }
        List<?> values = (List<?>) run(true, key, List.of(Long.toString(windowMillis)));
        return new Window((Long) values.get(0), clock.getAsLong() + (Long) values.get(1));
    }

    @Override
    public Window peek(String key, long now) {
        Object reply = run(false, key, List.of());
        if (!(reply instanceof List<?> values) || (Long) values.get(1) < 0) {
            return null; // no window, or a key without expiry (never one of ours)
        }
        return new Window((Long) values.get(0), clock.getAsLong() + (Long) values.get(1));
    }

    @Override
    public void forget(String key) {
        redis.del(prefix + key);
    }

    /** Runs a script by its digest, loading it first (or again, after Redis restarted and forgot it). */
    private Object run(boolean hit, String key, List<String> args) {
        List<String> keys = List.of(prefix + key);
        String sha = hit ? hitSha : peekSha;
        if (sha != null) {
            try {
                return redis.evalsha(sha, keys, args);
            } catch (JedisNoScriptException forgotten) {
                // loaded again below
            }
        }
        sha = redis.scriptLoad(hit ? HIT : PEEK);
        if (hit) {
            hitSha = sha;
        } else {
            peekSha = sha;
        }
        return redis.evalsha(sha, keys, args);
    }

    @Override
    public void close() {
        redis.close();
    }
}
