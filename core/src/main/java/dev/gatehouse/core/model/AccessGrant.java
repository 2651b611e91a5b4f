package dev.gatehouse.core.model;

import java.util.Set;

/**
 * One OAuth2 access token (and its refresh token, if any) a person granted an application: the
 * scopes it carries, when its access token stops working, and whether a refresh token can renew it. Only the tokens' hashes are stored, next to it.
 */
public record AccessGrant(long id, long applicationId, long userId, Set<String> scopes, long expiresAt, long createdAt,
        boolean refreshable) {

    public AccessGrant {
        scopes = Set.copyOf(scopes);
    }

    public boolean expired(long nowMillis) {
        return nowMillis >= expiresAt;
    }

    /** Whether the grant still stands: its access token works, or its refresh token can renew it. */
    public boolean standing(long nowMillis) {
        return refreshable || !expired(nowMillis);
    }
}
