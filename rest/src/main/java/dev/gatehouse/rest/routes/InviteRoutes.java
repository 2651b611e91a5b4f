package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.RouteTable;

final class InviteRoutes {

    private final Platform platform;

    InviteRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
    }
}
