package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;

/** {@code /guilds} and {@code /guilds/{guild.id}}: the guild itself. */
final class GuildRoutes {

    private final Platform platform;

    GuildRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.post("/guilds").limit("guilds", 10, 60_000).to(req -> ApiResponse.created(platform.guilds().create(req.principal(), req.form())));
        t.get("/guilds/{guild.id}").to(req ->
                ApiResponse.ok(platform.guilds().get(req.principal(), req.snowflake("guild.id"), req.queryBool("with_counts"))));
        t.patch("/guilds/{guild.id}").to(req ->
                ApiResponse.ok(platform.guilds().modify(req.principal(), req.snowflake("guild.id"), req.form())));
        t.delete("/guilds/{guild.id}").to(req -> {
            platform.guilds().delete(req.principal(), req.snowflake("guild.id"));
            return ApiResponse.noContent();
        });
    }
}
