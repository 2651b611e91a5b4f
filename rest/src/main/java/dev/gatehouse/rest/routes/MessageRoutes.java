package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;

/** {@code /channels/{channel.id}/messages/...} and {@code /channels/{channel.id}/typing}. */
final class MessageRoutes {

    private static final String MESSAGES = "/channels/{channel.id}/messages";
    private static final String MESSAGE = MESSAGES + "/{message.id}";

    private final Platform platform;

    MessageRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        // Discord answers a sent message with 200, not 201
        t.post(MESSAGES).limit("channels/messages", 5, 5_000).to(req ->
                ApiResponse.ok(platform.messages().create(req.principal(), req.snowflake("channel.id"), req.form())));
        t.get(MESSAGES).to(req -> ApiResponse.ok(platform.messages().list(req.principal(), req.snowflake("channel.id"),
                req.querySnowflake("before"), req.querySnowflake("after"), req.querySnowflake("around"),
                req.queryInt("limit", 1, 100, 50))));
        t.get(MESSAGE).to(req -> ApiResponse.ok(platform.messages().get(req.principal(), req.snowflake("channel.id"),
                req.snowflake("message.id"))));
        t.patch(MESSAGE).to(req -> ApiResponse.ok(platform.messages().edit(req.principal(), req.snowflake("channel.id"),
                req.snowflake("message.id"), req.form())));
        t.delete(MESSAGE).to(req -> {
            platform.messages().delete(req.principal(), req.snowflake("channel.id"), req.snowflake("message.id"));
            return ApiResponse.noContent();
        });
        t.post(MESSAGES + "/bulk-delete").limit("channels/messages/bulk-delete", 1, 1_000).to(req -> {
            platform.messages().bulkDelete(req.principal(), req.snowflake("channel.id"), req.form());
            return ApiResponse.noContent();
        });
        t.post("/channels/{channel.id}/typing").limit("channels/typing", 5, 5_000).to(req -> {
            platform.messages().typing(req.principal(), req.snowflake("channel.id"));
            return ApiResponse.noContent();
        });
    }
}
