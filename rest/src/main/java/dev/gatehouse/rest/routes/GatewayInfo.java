package dev.gatehouse.rest.routes;

import java.util.function.Supplier;

/**
 * Where clients reach the gateway WebSocket, as {@code GET /gateway} reports it: {@code wss://} to a
 * client that asked over HTTPS, {@code ws://} otherwise. Asked on every request rather than fixed at
 * construction, because the routes are built before the server binds and, on port 0, learns its
 * own ports.
 *
 * @param secure the {@code wss://} address, or null when the node serves no TLS
 */
public record GatewayInfo(Supplier<String> plain, Supplier<String> secure) {

    /** A fixed address. */
    public GatewayInfo(String url) {
        this(() -> url, null);
    }

    /** The address for a client that asked over TLS ({@code secure}) or not. */
    public String url(boolean overTls) {
        return overTls && secure != null ? secure.get() : plain.get();
    }
}
