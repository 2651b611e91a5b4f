package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;
import java.util.Map;

/** {@code /applications/...}: applications, their intent flags, bot tokens, client secrets and OAuth2 settings. */
final class ApplicationRoutes {

    private final Platform platform;

    ApplicationRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.post("/applications").limit("applications", 10, 60_000).to(req ->
                ApiResponse.created(platform.applications().create(req.principal(), req.form()).application()));
        t.get("/applications/@me").to(req -> ApiResponse.ok(platform.applications().mine(req.principal())));
        t.get("/oauth2/applications/@me").to(req -> ApiResponse.ok(platform.applications().mine(req.principal())));
        t.get("/applications/{application.id}").to(req ->
                ApiResponse.ok(platform.applications().get(req.principal(), req.snowflake("application.id"))));
        t.patch("/applications/{application.id}").to(req ->
                ApiResponse.ok(platform.applications().modify(req.principal(), req.snowflake("application.id"), req.form())));
        t.post("/applications/{application.id}/reset").limit("applications/reset", 5, 60_000).to(req ->
                ApiResponse.ok(Map.of("secret", platform.applications().resetSecret(req.principal(), req.snowflake("application.id"))))
                        .header("Cache-Control", "no-store"));
        t.get("/applications/{application.id}/rpc").to(req ->
                ApiResponse.ok(platform.applications().rpcInfo(req.snowflake("application.id"))));
        t.post("/applications/{application.id}/bot/reset").limit("applications/reset", 5, 60_000).to(req ->
                ApiResponse.ok(Map.of("token", platform.applications().resetBotToken(req.principal(), req.snowflake("application.id")))));
    }
}
