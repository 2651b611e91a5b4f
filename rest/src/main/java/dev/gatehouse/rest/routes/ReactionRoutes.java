package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.RouteTable;

final class ReactionRoutes {

    private final Platform platform;

    ReactionRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
    }
}
