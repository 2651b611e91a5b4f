package dev.gatehouse.rest.routes;

import java.util.function.Supplier;

/**
 * Where clients reach the gateway WebSocket, as {@code GET /gateway} reports it. Asked on every
 * request rather than fixed at construction, because the routes are built before the server binds
 * and, on port 0, learns its own port.
 */
public record GatewayInfo(Supplier<String> address) {

    /** A fixed address. */
    public GatewayInfo(String url) {
        this(() -> url);
    }

    public String url() {
        return address.get();
    }
}
