package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.RouteTable;

final class MemberRoutes {

    private final Platform platform;

    MemberRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
    }
}
