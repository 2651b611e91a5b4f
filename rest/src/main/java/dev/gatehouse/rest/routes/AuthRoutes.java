package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.service.AuthService;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;
import java.util.Map;

/** {@code /auth/register} and {@code /auth/login}: open routes, tightly limited per IP. */
final class AuthRoutes {

    private final Platform platform;

    AuthRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.post("/auth/register").open().limit("auth", 5, 60_000).to(req -> {
            AuthService.Registered r = platform.auth().register(req.form());
            return ApiResponse.created(Map.of("token", r.token(), "user_id", r.user().id()));
        });
        t.post("/auth/login").open().limit("auth", 5, 60_000).to(req -> {
            AuthService.LoggedIn r = platform.auth().login(req.form());
            return ApiResponse.ok(Map.of("user_id", r.userId(), "token", r.token()));
        });
    }
}
