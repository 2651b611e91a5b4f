package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;

/** Invites: per channel, per guild, and by code. */
final class InviteRoutes {

    private final Platform platform;

    InviteRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        // Discord answers 200, not 201, to invite creation
        t.post("/channels/{channel.id}/invites").limit("invites/create", 5, 15_000).to(req ->
                ApiResponse.ok(platform.invites().create(req.principal(), req.snowflake("channel.id"), req.form())));
        t.get("/channels/{channel.id}/invites").to(req ->
                ApiResponse.ok(platform.invites().listByChannel(req.principal(), req.snowflake("channel.id"))));
        t.get("/guilds/{guild.id}/invites").to(req ->
                ApiResponse.ok(platform.invites().listByGuild(req.principal(), req.snowflake("guild.id"))));
        t.get("/invites/{invite.code}").to(req ->
                ApiResponse.ok(platform.invites().get(req.principal(), req.param("invite.code"), req.queryBool("with_counts"))));
        t.post("/invites/{invite.code}").limit("invites/accept", 5, 60_000).to(req ->
                ApiResponse.ok(platform.invites().accept(req.principal(), req.param("invite.code"))));
        t.delete("/invites/{invite.code}").to(req ->
                ApiResponse.ok(platform.invites().delete(req.principal(), req.param("invite.code"))));
    }
}
