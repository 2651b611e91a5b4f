package dev.gatehouse.rest.ratelimit;

import dev.gatehouse.rest.http.ApiRequest;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.Route;
import java.util.Optional;

/**
 * The HTTP API's rate limits, consulted by the dispatcher around every routed request.
 * {@link #admit} answers 429 (or the IP block) instead of running the route, {@link #complete}
 * adds the bucket headers to the response and counts invalid requests per IP.
 */
public interface RateLimits {

    /** An answer that stops the request before authentication (IP blocked), or empty. */
    Optional<ApiResponse> screen(ApiRequest request);

    /** Takes the request from its buckets; an answer when over a limit, else empty. */
    Optional<ApiResponse> admit(Route route, ApiRequest request);

    /** Called with every response, routed or not: headers, invalid-request accounting. */
    void complete(Route route, ApiRequest request, ApiResponse response);

    /** No limits at all. */
    static RateLimits none() {
        return new RateLimits() {
            @Override public Optional<ApiResponse> screen(ApiRequest request) { return Optional.empty(); }
            @Override public Optional<ApiResponse> admit(Route route, ApiRequest request) { return Optional.empty(); }
            @Override public void complete(Route route, ApiRequest request, ApiResponse response) {}
        };
    }
}
