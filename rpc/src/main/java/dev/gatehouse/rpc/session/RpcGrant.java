package dev.gatehouse.rpc.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * An OAuth2 access token a program authenticated with, as the server describes it
 * ({@code GET /oauth2/@me}): the application it belongs to, its scopes and expiry, and the user.
 *
 * @param expiresAt when the access token stops working (epoch milliseconds)
 * @param described the server's description, which AUTHENTICATE answers with
 */
public record RpcGrant(String accessToken, long applicationId, Set<String> scopes, long expiresAt, ObjectNode described) {

    public RpcGrant {
        scopes = Set.copyOf(scopes);
    }
}
