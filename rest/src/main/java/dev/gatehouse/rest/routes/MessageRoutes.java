package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.RouteTable;

final class MessageRoutes {

    private final Platform platform;

    MessageRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
    }
}
