package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.RouteTable;

/** Every route of the HTTP API, registered area by area. */
public final class ApiRoutes {

    private ApiRoutes() {}

    public static RouteTable build(Platform platform, GatewayInfo gateway) {
        RouteTable table = new RouteTable();
        new AuthRoutes(platform).register(table);
        new UserRoutes(platform).register(table);
        new ApplicationRoutes(platform).register(table);
        new GuildRoutes(platform).register(table);
        new ChannelRoutes(platform).register(table);
        new RoleRoutes(platform).register(table);
        new MemberRoutes(platform).register(table);
        new InviteRoutes(platform).register(table);
        new BanRoutes(platform).register(table);
        new OAuth2Routes(platform).register(table);
        new MessageRoutes(platform).register(table);
        new ReactionRoutes(platform).register(table);
        new GatewayRoutes(platform, gateway).register(table);
        new VoiceRoutes(platform).register(table);
        return table;
    }
}
