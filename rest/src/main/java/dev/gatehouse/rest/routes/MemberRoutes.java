package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;

/** {@code /guilds/{guild.id}/members/...}: reading members, nicknames and roles, kicks. */
final class MemberRoutes {

    private final Platform platform;

    MemberRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.get("/guilds/{guild.id}/members").to(req -> {
            long after = req.querySnowflake("after") == null ? 0 : req.querySnowflake("after");
            return ApiResponse.ok(platform.members().list(req.principal(), req.snowflake("guild.id"),
                    req.queryInt("limit", 1, 1000, 1), after));
        });
        t.get("/guilds/{guild.id}/members/search").to(req -> ApiResponse.ok(platform.members().search(req.principal(),
                req.snowflake("guild.id"), req.query("query"), req.queryInt("limit", 1, 1000, 1))));
        t.patch("/guilds/{guild.id}/members/@me").to(req ->
                ApiResponse.ok(platform.members().modifyMe(req.principal(), req.snowflake("guild.id"), req.form())));
        t.get("/guilds/{guild.id}/members/{user.id}").to(req ->
                ApiResponse.ok(platform.members().get(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"))));
        t.patch("/guilds/{guild.id}/members/{user.id}").to(req -> ApiResponse.ok(
                platform.members().modify(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"), req.form())));
        t.delete("/guilds/{guild.id}/members/{user.id}").to(req -> {
            platform.members().kick(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"));
            return ApiResponse.noContent();
        });
        t.put("/guilds/{guild.id}/members/{user.id}/roles/{role.id}").to(req -> {
            platform.members().addRole(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"), req.snowflake("role.id"));
            return ApiResponse.noContent();
        });
        t.delete("/guilds/{guild.id}/members/{user.id}/roles/{role.id}").to(req -> {
            platform.members().removeRole(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"), req.snowflake("role.id"));
            return ApiResponse.noContent();
        });
    }
}
