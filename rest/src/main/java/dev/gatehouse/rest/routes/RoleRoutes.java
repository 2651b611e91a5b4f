package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;

/** {@code /guilds/{guild.id}/roles}: a guild's roles. */
final class RoleRoutes {

    private final Platform platform;

    RoleRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.get("/guilds/{guild.id}/roles").to(req ->
                ApiResponse.ok(platform.roles().list(req.principal(), req.snowflake("guild.id"))));
        t.post("/guilds/{guild.id}/roles").to(req ->
                ApiResponse.ok(platform.roles().create(req.principal(), req.snowflake("guild.id"), req.form())));
        t.patch("/guilds/{guild.id}/roles").to(req ->
                ApiResponse.ok(platform.roles().reorder(req.principal(), req.snowflake("guild.id"), req.json())));
        t.get("/guilds/{guild.id}/roles/{role.id}").to(req ->
                ApiResponse.ok(platform.roles().get(req.principal(), req.snowflake("guild.id"), req.snowflake("role.id"))));
        t.patch("/guilds/{guild.id}/roles/{role.id}").to(req ->
                ApiResponse.ok(platform.roles().modify(req.principal(), req.snowflake("guild.id"), req.snowflake("role.id"), req.form())));
        t.delete("/guilds/{guild.id}/roles/{role.id}").to(req -> {
            platform.roles().delete(req.principal(), req.snowflake("guild.id"), req.snowflake("role.id"));
            return ApiResponse.noContent();
        });
    }
}
