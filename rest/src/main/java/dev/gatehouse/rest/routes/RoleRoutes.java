package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.RouteTable;

final class RoleRoutes {

    private final Platform platform;

    RoleRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
    }
}
