package dev.gatehouse.core.model;

import java.util.Set;

/**
 * What a person approved on the authorisation page, waiting to be exchanged for tokens: single use,
 * valid for minutes. {@code redirectUri} is the one the request named, which the exchange must name
 * again (RFC 6749 4.1.3); null when the request named none.
 */
public record AuthorizationCode(long applicationId, long userId, Set<String> scopes, String redirectUri, long expiresAt) {

    public AuthorizationCode {
        scopes = Set.copyOf(scopes);
    }
}
