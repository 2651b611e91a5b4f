package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;

/** Channels: a guild's list, one channel by id, and its permission overwrites. */
final class ChannelRoutes {

    private final Platform platform;

    ChannelRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.get("/guilds/{guild.id}/channels").to(req ->
                ApiResponse.ok(platform.channels().list(req.principal(), req.snowflake("guild.id"))));
        t.post("/guilds/{guild.id}/channels").to(req ->
                ApiResponse.created(platform.channels().create(req.principal(), req.snowflake("guild.id"), req.form())));
        t.patch("/guilds/{guild.id}/channels").to(req -> {
            platform.channels().reorder(req.principal(), req.snowflake("guild.id"), req.json());
            return ApiResponse.noContent();
        });
        t.get("/channels/{channel.id}").to(req ->
                ApiResponse.ok(platform.channels().get(req.principal(), req.snowflake("channel.id"))));
        t.patch("/channels/{channel.id}").to(req ->
                ApiResponse.ok(platform.channels().modify(req.principal(), req.snowflake("channel.id"), req.form())));
        t.delete("/channels/{channel.id}").to(req ->
                ApiResponse.ok(platform.channels().delete(req.principal(), req.snowflake("channel.id"))));
        t.put("/channels/{channel.id}/permissions/{overwrite.id}").to(req -> {
            platform.channels().putOverwrite(req.principal(), req.snowflake("channel.id"), req.snowflake("overwrite.id"), req.form());
            return ApiResponse.noContent();
        });
        t.delete("/channels/{channel.id}/permissions/{overwrite.id}").to(req -> {
            platform.channels().deleteOverwrite(req.principal(), req.snowflake("channel.id"), req.snowflake("overwrite.id"));
            return ApiResponse.noContent();
        });
    }
}
