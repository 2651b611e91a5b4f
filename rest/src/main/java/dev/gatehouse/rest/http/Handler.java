package dev.gatehouse.rest.http;

/** A route's code: runs on a virtual thread, may block, throws {@code ApiException} to refuse. */
@FunctionalInterface
public interface Handler {
    ApiResponse handle(ApiRequest request);
}
