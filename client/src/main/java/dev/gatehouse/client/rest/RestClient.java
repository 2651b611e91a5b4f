package dev.gatehouse.client.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP API client that keeps to the server's rate limits instead of running into them: requests
 * of one bucket go one after another, each waits while its bucket is empty or a global limit
 * holds ({@link RateLimitTracker}), and a 429 is waited out ({@code retry_after}) and retried, up
 * to {@link #MAX_RETRIES} times. Waits are scheduled, never slept on a thread.
 *
 * <pre>{@code
 * RestClient rest = RestClient.create(URI.create("http://127.0.0.1:8080/api/v10"), "Bot " + token);
 * RestClient.Response r = rest.request("POST", "/channels/" + id + "/messages", Map.of("content", "hi")).join();
 * }</pre>
 */
public final class RestClient {

    static final int MAX_RETRIES = 5;

    /** A response: status and parsed JSON body (null when empty or not JSON). */
    public record Response(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final RateLimitTracker limits = new RateLimitTracker();
    private final Map<String, CompletableFuture<?>> queues = new HashMap<>();
    private final AtomicLong rateLimited = new AtomicLong();

    private RestClient(URI base, String authorization, HttpClient http) {
        this.base = base;
        this.authorization = authorization;
        this.http = http;
    }

    /** @param apiBase the versioned API root ({@code http://host:port/api/v10}); {@code authorization} as sent ("Bot ...") */
    public static RestClient create(URI apiBase, String authorization) {
        return new RestClient(apiBase, authorization, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /**
     * A client for another credential (an OAuth2 bearer token, say) over the same HTTP client, with
     * rate-limit buckets of its own, as the server keeps them per token.
     */
    public RestClient as(String otherAuthorization) {
        return new RestClient(base, otherAuthorization, http);
    }

    /** How many 429s this client has met (and waited out) so far. */
    public long rateLimitedResponses() {
        return rateLimited.get();
    }

    /** Sends a request after the ones before it in its bucket; {@code body} is serialized as JSON (null: none). */
    public CompletableFuture<Response> request(String method, String path, Object body) {
        Route route = Route.of(method, path);
        byte[] json = body == null ? null : Json.bytes(body);
        CompletableFuture<Response> result;
        synchronized (queues) {
            CompletableFuture<?> tail = queues.getOrDefault(route.queueKey(), CompletableFuture.completedFuture(null));
            result = tail.handle((x, e) -> null).thenCompose(x -> attempt(route, method, path, json, 0));
            queues.put(route.queueKey(), result);
        }
        CompletableFuture<Response> tailNow = result;
        result.whenComplete((r, e) -> {
            synchronized (queues) {
                queues.remove(route.queueKey(), tailNow); // the last of its queue: nothing waits behind it
            }
        });
        return result;
    }

    private CompletableFuture<Response> attempt(Route route, String method, String path, byte[] json, int retry) {
        long wait = limits.delayBefore(route, now());
        CompletableFuture<Void> ready = wait == 0 ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS));
        return ready.thenCompose(x -> send(method, path, json)).thenCompose(r -> {
            JsonNode parsed = parse(r.body());
            long retryAfter = limits.update(route, r.statusCode(), name -> r.headers().firstValue(name).orElse(null), parsed, now());
            if (r.statusCode() == 429) {
                rateLimited.incrementAndGet();
                if (retry < MAX_RETRIES) {
                    return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(retryAfter, TimeUnit.MILLISECONDS))
                            .thenCompose(y -> attempt(route, method, path, json, retry + 1));
                }
            }
            return CompletableFuture.completedFuture(new Response(r.statusCode(), parsed));
        });
    }

    private CompletableFuture<HttpResponse<byte[]>> send(String method, String path, byte[] json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                .header("User-Agent", "DiscordBot (gatehouse-client, 0.1)");
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
