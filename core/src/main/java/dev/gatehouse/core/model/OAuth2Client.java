package dev.gatehouse.core.model;

import java.util.List;

/**
 * An application's OAuth2 client settings: the hash of its client secret (null until the owner
 * first resets it), the redirect URIs a code may be sent to, and the origins its programs may open
 * the local RPC server's WebSocket from.
 */
public record OAuth2Client(long applicationId, byte[] secretHash, List<String> redirectUris, List<String> rpcOrigins) {

    public OAuth2Client {
        redirectUris = List.copyOf(redirectUris);
        rpcOrigins = List.copyOf(rpcOrigins);
    }

    /** What an application that never touched its OAuth2 settings has. */
    public static OAuth2Client empty(long applicationId) {
        return new OAuth2Client(applicationId, null, List.of(), List.of());
    }

    public OAuth2Client withSecret(byte[] hash) {
        return new OAuth2Client(applicationId, hash, redirectUris, rpcOrigins);
    }

    public OAuth2Client withUris(List<String> redirects, List<String> origins) {
        return new OAuth2Client(applicationId, secretHash, redirects, origins);
    }
}
