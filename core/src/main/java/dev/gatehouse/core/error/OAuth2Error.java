package dev.gatehouse.core.error;

/**
 * An error of the OAuth2 token endpoints, answered as RFC 6749 section 5.2 says rather than in the
 * API's own error shape: {@code {"error": "invalid_grant", "error_description": "..."}}, status 400,
 * or 401 for a client that failed to authenticate.
 */
public final class OAuth2Error extends RuntimeException {

    private final int status;
    private final String error;

    private OAuth2Error(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static OAuth2Error invalidRequest(String description) {
        return new OAuth2Error(400, "invalid_request", description);
    }

    public static OAuth2Error invalidClient() {
        return new OAuth2Error(401, "invalid_client", "Client authentication failed.");
    }

    public static OAuth2Error invalidGrant(String description) {
        return new OAuth2Error(400, "invalid_grant", description);
    }

    public static OAuth2Error unsupportedGrantType(String grantType) {
        return new OAuth2Error(400, "unsupported_grant_type", "Unsupported grant type: " + grantType);
    }

    public static OAuth2Error invalidScope(String description) {
        return new OAuth2Error(400, "invalid_scope", description);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }
}
