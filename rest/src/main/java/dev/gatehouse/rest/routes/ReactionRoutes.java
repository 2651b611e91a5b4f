package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.service.ReactionService;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;

/**
 * {@code /channels/{channel.id}/messages/{message.id}/reactions/...}. The {@code {emoji}} segment
 * arrives URL-decoded. Every PUT and DELETE shares Discord's "reactions" bucket (one per 250 ms).
 */
final class ReactionRoutes {

    private static final String REACTIONS = "/channels/{channel.id}/messages/{message.id}/reactions";
    private static final String BUCKET = "reactions";
    private static final int BUCKET_LIMIT = 1;
    private static final long BUCKET_WINDOW = 250;

    private final Platform platform;

    ReactionRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.put(REACTIONS + "/{emoji}/@me").limit(BUCKET, BUCKET_LIMIT, BUCKET_WINDOW).to(req -> {
            platform.reactions().add(req.principal(), req.snowflake("channel.id"), req.snowflake("message.id"), req.param("emoji"));
            return ApiResponse.noContent();
        });
        t.delete(REACTIONS + "/{emoji}/@me").limit(BUCKET, BUCKET_LIMIT, BUCKET_WINDOW).to(req -> {
            platform.reactions().removeOwn(req.principal(), req.snowflake("channel.id"), req.snowflake("message.id"), req.param("emoji"));
            return ApiResponse.noContent();
        });
        t.delete(REACTIONS + "/{emoji}/{user.id}").limit(BUCKET, BUCKET_LIMIT, BUCKET_WINDOW).to(req -> {
            platform.reactions().remove(req.principal(), req.snowflake("channel.id"), req.snowflake("message.id"), req.param("emoji"),
                    req.snowflake("user.id"));
            return ApiResponse.noContent();
        });
        t.get(REACTIONS + "/{emoji}").to(req -> ApiResponse.ok(platform.reactions().users(req.principal(),
                req.snowflake("channel.id"), req.snowflake("message.id"), req.param("emoji"), req.querySnowflake("after"),
                req.queryInt("limit", 1, 100, ReactionService.DEFAULT_USERS_LIMIT), req.queryInt("type", 0, 1, 0))));
        t.delete(REACTIONS).limit(BUCKET, BUCKET_LIMIT, BUCKET_WINDOW).to(req -> {
            platform.reactions().removeAll(req.principal(), req.snowflake("channel.id"), req.snowflake("message.id"));
            return ApiResponse.noContent();
        });
        t.delete(REACTIONS + "/{emoji}").limit(BUCKET, BUCKET_LIMIT, BUCKET_WINDOW).to(req -> {
            platform.reactions().removeEmoji(req.principal(), req.snowflake("channel.id"), req.snowflake("message.id"), req.param("emoji"));
            return ApiResponse.noContent();
        });
    }
}
