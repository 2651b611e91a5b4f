package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiRequest;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** {@code /guilds/{guild.id}/bans/...}. */
final class BanRoutes {

    private final Platform platform;

    BanRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.get("/guilds/{guild.id}/bans").to(req -> ApiResponse.ok(platform.bans().list(req.principal(), req.snowflake("guild.id"),
                req.queryInt("limit", 1, 1000, 1000), req.querySnowflake("before"), req.querySnowflake("after"))));
        t.get("/guilds/{guild.id}/bans/{user.id}").to(req ->
                ApiResponse.ok(platform.bans().get(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"))));
        t.put("/guilds/{guild.id}/bans/{user.id}").to(req -> {
            platform.bans().ban(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"), req.form(), auditReason(req));
            return ApiResponse.noContent();
        });
        t.delete("/guilds/{guild.id}/bans/{user.id}").to(req -> {
            platform.bans().unban(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"));
            return ApiResponse.noContent();
        });
    }

    /** Discord takes a ban's reason from {@code X-Audit-Log-Reason}, URL-encoded so it fits a header. */
    static String auditReason(ApiRequest req) {
        String raw = req.header("x-audit-log-reason");
        if (raw == null) {
            return null;
        }
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw; // a stray '%' from a client that did not encode: keep the text as sent
        }
    }
}
