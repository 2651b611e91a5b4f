package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.RouteTable;

final class ChannelRoutes {

    private final Platform platform;

    ChannelRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
    }
}
