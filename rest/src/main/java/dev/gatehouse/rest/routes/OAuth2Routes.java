package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.error.OAuth2Error;
import dev.gatehouse.core.service.OAuth2GrantService.ClientCredentials;
import dev.gatehouse.core.service.OAuth2Service;
import dev.gatehouse.rest.http.ApiRequest;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.Route;
import dev.gatehouse.rest.http.RouteTable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * {@code /oauth2/...}: the authorisation page (bot invites and the code grant), the token endpoint
 * and revocation (which authenticate the client, not a user, and answer in RFC 6749's error shape),
 * the grant behind a bearer token, and a person's list of authorised applications.
 */
final class OAuth2Routes {

    private final Platform platform;

    OAuth2Routes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.get("/oauth2/authorize").to(req -> ApiResponse.ok(platform.oauth2().describe(req.principal(), query(req))));
        t.post("/oauth2/authorize").limit("oauth2/authorize", 10, 60_000).to(req ->
                ApiResponse.ok(platform.oauth2().authorize(req.principal(), query(req), req.form())));
        t.post("/oauth2/token").clientAuthenticated().limit("oauth2/token", 20, 60_000).to(req -> {
            Map<String, String> params = req.formParams();
            return tokenResponse(platform.grants().token(client(req, params), params));
        });
        t.post("/oauth2/token/revoke").clientAuthenticated().limit("oauth2/token", 20, 60_000).to(req -> {
            Map<String, String> params = req.formParams();
            platform.grants().revoke(client(req, params), params);
            return tokenResponse(Map.of());
        });
        t.get("/oauth2/@me").scopes(Route.ANY_SCOPE).to(req -> ApiResponse.ok(platform.grants().me(req.principal())));
        t.get("/oauth2/tokens").to(req -> ApiResponse.ok(platform.grants().authorizations(req.principal())));
        t.delete("/oauth2/tokens/{token.id}").to(req -> {
            platform.grants().deauthorize(req.principal(), req.snowflake("token.id"));
            return ApiResponse.noContent();
        });
    }

    /** Token responses must not be cached (RFC 6749 5.1). */
    private static ApiResponse tokenResponse(Object body) {
        return ApiResponse.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    private static OAuth2Service.Query query(ApiRequest req) {
        return new OAuth2Service.Query(req.query("client_id"), req.query("scope"), req.query("permissions"),
                req.query("response_type"), req.query("redirect_uri"), req.query("state"));
    }

    /**
     * The client's credentials: HTTP Basic (RFC 6749 2.3.1, each part form-encoded before base64)
     * when present, else {@code client_id} and {@code client_secret} in the body.
     */
    static ClientCredentials client(ApiRequest req, Map<String, String> params) {
        String authorization = req.header("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw OAuth2Error.invalidClient();
                }
                return new ClientCredentials(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                        URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw OAuth2Error.invalidClient();
            }
        }
        return new ClientCredentials(params.get("client_id"), params.get("client_secret"));
    }
}
