package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.service.OAuth2Service;
import dev.gatehouse.rest.http.ApiRequest;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;

/** {@code /oauth2/authorize}: adding a bot to a guild, as Discord's authorisation page does. */
final class OAuth2Routes {

    private final Platform platform;

    OAuth2Routes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.get("/oauth2/authorize").to(req -> ApiResponse.ok(platform.oauth2().describe(req.principal(), query(req))));
        t.post("/oauth2/authorize").limit("oauth2/authorize", 10, 60_000).to(req ->
                ApiResponse.ok(platform.oauth2().authorize(req.principal(), query(req), req.form())));
    }

    private static OAuth2Service.Query query(ApiRequest req) {
        return new OAuth2Service.Query(req.query("client_id"), req.query("scope"), req.query("permissions"));
    }
}
