package dev.gatehouse.rest.routes;

/** Where clients reach the gateway WebSocket, as {@code GET /gateway} reports it. */
public record GatewayInfo(String url) {}
