package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.OAuth2Scopes;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;

/** {@code /users/...}: the caller's account, other users, the caller's guilds. */
final class UserRoutes {

    private final Platform platform;

    UserRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.get("/users/@me").scopes(OAuth2Scopes.IDENTIFY).to(req -> ApiResponse.ok(platform.users().me(req.principal())));
        t.patch("/users/@me").limit("users/@me", 2, 3_600_000L / 2).to(req ->
                ApiResponse.ok(platform.users().modifyMe(req.principal(), req.form())));
        t.get("/users/{user.id}").to(req -> ApiResponse.ok(platform.users().get(req.snowflake("user.id"))));
        t.get("/users/@me/guilds/{guild.id}/member").scopes(OAuth2Scopes.GUILDS_MEMBERS_READ).to(req ->
                ApiResponse.ok(platform.members().get(req.principal(), req.snowflake("guild.id"), req.principal().userId())));
        t.get("/users/@me/guilds").scopes(OAuth2Scopes.GUILDS).to(req -> ApiResponse.ok(platform.users().myGuilds(req.principal(),
                req.querySnowflake("before"), req.querySnowflake("after"), req.queryInt("limit", 1, 200, 200))));
        t.delete("/users/@me/guilds/{guild.id}").to(req -> {
            platform.members().leave(req.principal(), req.snowflake("guild.id"));
            return ApiResponse.noContent();
        });
        t.get("/users/@me/channels").to(req -> ApiResponse.ok(platform.dms().list(req.principal())));
        t.post("/users/@me/channels").to(req -> ApiResponse.ok(platform.dms().open(req.principal(), req.form())));
    }
}
