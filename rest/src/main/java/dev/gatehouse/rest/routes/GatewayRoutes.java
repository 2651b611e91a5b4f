package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;
import java.util.Map;

/** {@code GET /gateway} and {@code GET /gateway/bot}. */
final class GatewayRoutes {

    private final Platform platform;
    private final GatewayInfo gateway;

    GatewayRoutes(Platform platform, GatewayInfo gateway) {
        this.platform = platform;
        this.gateway = gateway;
    }

    void register(RouteTable t) {
        t.get("/gateway").open().to(req -> ApiResponse.ok(Map.of("url", gateway.url())));
    }
}
