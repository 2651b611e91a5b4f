package dev.gatehouse.core.auth;

import dev.gatehouse.core.model.AccessGrant;
import dev.gatehouse.core.model.User;

/**
 * Who a request or a gateway session acts as, once its token checked out. {@code grant} is set when
 * the token is an OAuth2 access token: the request then acts for {@code grant.applicationId()} and
 * may do only what its scopes allow. A user's or bot's own token has no grant and no such limit.
 */
public record Principal(User user, AccessGrant grant) {

    public Principal(User user) {
        this(user, null);
    }

    public long userId() {
        return user.id();
    }

    public boolean isBot() {
        return user.bot();
    }

    public boolean isOAuth2() {
        return grant != null;
    }

    /** Whether the caller may act within {@code scope}: always with its own token. */
    public boolean hasScope(String scope) {
        return grant == null || grant.scopes().contains(scope);
    }
}
