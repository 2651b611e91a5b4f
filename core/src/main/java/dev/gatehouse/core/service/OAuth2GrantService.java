package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.OAuth2Scopes;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.auth.Tokens;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.error.OAuth2Error;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.AccessGrant;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.model.AuthorizationCode;
import dev.gatehouse.core.model.OAuth2Client;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OAuth2 grants for people (RFC 6749 as Discord speaks it): authorisation codes, the token
 * endpoint's three grants ({@code authorization_code}, {@code refresh_token},
 * {@code client_credentials}), revocation (RFC 7009), and bearer-token authentication. Codes,
 * access and refresh tokens are 256 random bits, stored as SHA-256 hashes and looked up by hash: a
 * lookup by the hash of a secret that long reveals nothing through timing. Client secrets are
 * compared in constant time.
 *
 * <p>A revoked grant is announced to the person's own gateway sessions as
 * {@code OAUTH2_TOKEN_REVOKE {application_id}}, so a local RPC agent can close the connections that
 * used it.
 */
public final class OAuth2GrantService {

    static final long CODE_TTL_MILLIS = 10 * 60_000L;
    /** Seven days, as Discord's access tokens. */
    static final long ACCESS_TTL_MILLIS = 7 * 24 * 3_600_000L;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_TOKEN_LENGTH = 200;

    private final Platform.Context ctx;
    private final SecureRandom random = new SecureRandom();

    public OAuth2GrantService(Platform.Context ctx) {
        this.ctx = ctx;
    }

    /** A client's credentials as presented: HTTP Basic or the body's {@code client_id}/{@code client_secret}. */
    public record ClientCredentials(String clientId, String clientSecret) {}

    /** Issues a single-use code for what the person approved; valid for ten minutes. */
    public String issueCode(Tx tx, long applicationId, long userId, Set<String> scopes, String redirectUri) {
        String code = secret();
        long now = ctx.clock().millis();
        tx.oauth2().deleteExpiredCodes(now);
        tx.oauth2().insertCode(Tokens.hash(code), new AuthorizationCode(applicationId, userId, scopes, redirectUri, now + CODE_TTL_MILLIS));
        return code;
    }

    /** {@code POST /oauth2/token}: the grant's tokens, as RFC 6749 section 5.1 writes them. */
    public Map<String, Object> token(ClientCredentials credentials, Map<String, String> params) {
        String grantType = params.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw OAuth2Error.invalidRequest("grant_type is required.");
        }
        Application app = authenticateClient(credentials);
        return switch (grantType) {
            case "authorization_code" -> exchangeCode(app, params);
            case "refresh_token" -> refresh(app, params);
            case "client_credentials" -> clientCredentials(app, params);
            default -> throw OAuth2Error.unsupportedGrantType(grantType);
        };
    }

    private Map<String, Object> exchangeCode(Application app, Map<String, String> params) {
        String code = params.get("code");
        if (code == null || code.isEmpty() || code.length() > MAX_TOKEN_LENGTH) {
            throw OAuth2Error.invalidRequest("code is required.");
        }
        String redirectUri = params.get("redirect_uri");
        long now = ctx.clock().millis();
        return ctx.store().write(tx -> {
            AuthorizationCode grant = tx.oauth2().takeCode(Tokens.hash(code))
                    .orElseThrow(() -> OAuth2Error.invalidGrant("Invalid \"code\" in request."));
            if (grant.applicationId() != app.id() || grant.expiresAt() <= now) {
                throw OAuth2Error.invalidGrant("Invalid \"code\" in request.");
            }
            if (grant.redirectUri() != null && !grant.redirectUri().equals(redirectUri)) {
                throw OAuth2Error.invalidGrant("Invalid \"redirect_uri\" in request.");
            }
            return issueTokens(tx, app.id(), grant.userId(), grant.scopes(), true);
        });
    }

    /**
     * Refresh tokens rotate: the old access and refresh tokens stop working as the new ones are
     * issued, and the old grant's end is announced like a revocation (its access token is gone).
     */
    private Map<String, Object> refresh(Application app, Map<String, String> params) {
        String token = params.get("refresh_token");
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw OAuth2Error.invalidRequest("refresh_token is required.");
        }
        byte[] hash = Tokens.hash(token);
        AccessGrant old = ctx.store().read(tx -> tx.oauth2().byRefreshToken(hash))
                .filter(g -> g.applicationId() == app.id())
                .orElseThrow(() -> OAuth2Error.invalidGrant("Invalid \"refresh_token\" in request."));
        Set<String> scopes = old.scopes();
        String narrowed = params.get("scope");
        if (narrowed != null && !narrowed.isBlank()) {
            Set<String> asked = OAuth2Scopes.parse(narrowed);
            if (!scopes.containsAll(asked)) {
                throw OAuth2Error.invalidScope("The requested scope exceeds the scope granted.");
            }
            scopes = asked;
        }
        Set<String> granted = scopes;
        return ctx.forUsers(Set.of(old.userId()), () -> {
            Map<String, Object> issued = ctx.store().write(tx -> {
                if (!tx.oauth2().deleteGrant(old.id())) {
                    throw OAuth2Error.invalidGrant("Invalid \"refresh_token\" in request.");
                }
                announceEnd(tx, old);
                return issueTokens(tx, app.id(), old.userId(), granted, true);
            });
            return issued;
        });
    }

    /** A token for the application's owner, as Discord gives for testing; no refresh token. */
    private Map<String, Object> clientCredentials(Application app, Map<String, String> params) {
        Set<String> scopes = OAuth2Scopes.parse(params.get("scope"));
        if (scopes.isEmpty()) {
            throw OAuth2Error.invalidScope("scope is required.");
        }
        if (!OAuth2Scopes.CLIENT_CREDENTIALS.containsAll(scopes)) {
            throw OAuth2Error.invalidScope("The client credentials grant allows only " + OAuth2Scopes.join(OAuth2Scopes.CLIENT_CREDENTIALS) + ".");
        }
        return ctx.store().write(tx -> issueTokens(tx, app.id(), app.ownerId(), scopes, false));
    }

    private Map<String, Object> issueTokens(Tx tx, long appId, long userId, Set<String> scopes, boolean refreshable) {
        long now = ctx.clock().millis();
        String access = secret();
        String refresh = refreshable ? secret() : null;
        AccessGrant grant = new AccessGrant(ctx.ids().next(), appId, userId, scopes, now + ACCESS_TTL_MILLIS, now, refreshable);
        tx.oauth2().deleteExpiredGrants(now);
        tx.oauth2().insertGrant(grant, Tokens.hash(access), refresh == null ? null : Tokens.hash(refresh));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", access);
        out.put("token_type", "Bearer");
        out.put("expires_in", (int) (ACCESS_TTL_MILLIS / 1000)); // a JSON number: our mapper writes longs as strings
        if (refresh != null) {
            out.put("refresh_token", refresh);
        }
        out.put("scope", OAuth2Scopes.join(scopes));
        return out;
    }

    /**
     * {@code POST /oauth2/token/revoke} (RFC 7009): an access or a refresh token of the client's
     * own; either ends the whole grant. A token that is unknown, someone else's or already revoked
     * is answered the same way as a revoked one, as the RFC asks.
     */
    public void revoke(ClientCredentials credentials, Map<String, String> params) {
        Application app = authenticateClient(credentials);
        String token = params.get("token");
        if (token == null || token.isEmpty()) {
            throw OAuth2Error.invalidRequest("token is required.");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return;
        }
        byte[] hash = Tokens.hash(token);
        Optional<AccessGrant> grant = ctx.store().read(tx -> tx.oauth2().byAccessToken(hash).or(() -> tx.oauth2().byRefreshToken(hash)))
                .filter(g -> g.applicationId() == app.id());
        grant.ifPresent(this::end);
    }

    /** The person's authorised applications: {@code GET /oauth2/tokens}, as Discord's client lists them. */
    public List<Map<String, Object>> authorizations(Principal who) {
        requirePersonsOwnToken(who);
        long now = ctx.clock().millis();
        return ctx.store().read(tx -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (AccessGrant g : tx.oauth2().grantsOf(who.userId())) {
                Optional<Application> app = tx.applications().find(g.applicationId());
                if (app.isEmpty() || !g.standing(now)) {
                    continue;
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", g.id());
                entry.put("scopes", OAuth2Scopes.sorted(g.scopes()));
                entry.put("application", ApplicationService.view(tx, app.get()));
                out.add(entry);
            }
            return out;
        });
    }

    /** {@code DELETE /oauth2/tokens/{id}}: the person takes an application's access away. */
    public void deauthorize(Principal who, long grantId) {
        requirePersonsOwnToken(who);
        AccessGrant grant = ctx.store().read(tx -> tx.oauth2().grant(grantId))
                .filter(g -> g.userId() == who.userId())
                .orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_TOKEN));
        end(grant);
    }

    private void end(AccessGrant grant) {
        ctx.forUsers(Set.of(grant.userId()), () -> {
            return ctx.store().write(tx -> {
                if (tx.oauth2().deleteGrant(grant.id())) {
                    announceEnd(tx, grant);
                }
                return null;
            });
        });
    }

    /** Tells the person's own sessions that a grant ended, with the change that ended it. */
    private static void announceEnd(Tx tx, AccessGrant grant) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("application_id", Long.toString(grant.applicationId()));
        tx.events().publish(GatewayEvent.users(DispatchType.OAUTH2_TOKEN_REVOKE, Set.of(grant.userId()), data));
    }

    /** The person behind a valid access token, limited to its grant; empty for anything else. */
    public Optional<Principal> authenticate(String accessToken) {
        if (accessToken == null || accessToken.isEmpty() || accessToken.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        long now = ctx.clock().millis();
        return ctx.store().read(tx -> tx.oauth2().byAccessToken(Tokens.hash(accessToken))
                .filter(g -> !g.expired(now))
                .flatMap(g -> tx.users().find(g.userId()).map(u -> new Principal(u, g))));
    }

    /**
     * {@code GET /oauth2/@me}: the grant behind a bearer token. The user comes with {@code identify},
     * or with a scope of the local RPC server, which shows the user to the program anyway and must
     * check that a token is the person's own.
     */
    public Map<String, Object> me(Principal who) {
        AccessGrant grant = who.grant();
        if (grant == null) {
            throw new ApiException(ErrorCode.UNAUTHORIZED);
        }
        return ctx.store().read(tx -> {
            Application app = tx.applications().find(grant.applicationId())
                    .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("application", ApplicationService.view(tx, app));
            out.put("scopes", OAuth2Scopes.sorted(grant.scopes()));
            out.put("expires", Instant.ofEpochMilli(grant.expiresAt()).toString());
            if (who.hasScope(OAuth2Scopes.IDENTIFY) || grant.scopes().stream().anyMatch(OAuth2Scopes::isLocalRpc)) {
                out.put("user", UserView.of(who.user()));
            }
            return out;
        });
    }

    /**
     * The application a token request is from. Unknown applications, applications without a secret
     * and wrong secrets all get the same {@code invalid_client}; the secret is compared by hash in
     * constant time.
     */
    public Application authenticateClient(ClientCredentials credentials) {
        if (credentials.clientId() == null || credentials.clientSecret() == null || credentials.clientSecret().length() > MAX_TOKEN_LENGTH) {
            throw OAuth2Error.invalidClient();
        }
        long id;
        try {
            id = Long.parseLong(credentials.clientId());
        } catch (NumberFormatException e) {
            throw OAuth2Error.invalidClient();
        }
        byte[] presented = Tokens.hash(credentials.clientSecret());
        return ctx.store().read(tx -> {
            Optional<Application> app = tx.applications().find(id);
            byte[] stored = tx.oauth2().client(id).map(OAuth2Client::secretHash).orElse(null);
            boolean match = MessageDigest.isEqual(stored == null ? new byte[32] : stored, presented) && stored != null;
            if (app.isEmpty() || !match) {
                throw OAuth2Error.invalidClient();
            }
            return app.get();
        });
    }

    /** A fresh client secret for the application, of which only the hash is kept. */
    public String newSecret(Tx tx, long applicationId) {
        String secret = secret();
        OAuth2Client client = tx.oauth2().client(applicationId).orElse(OAuth2Client.empty(applicationId));
        tx.oauth2().saveClient(client.withSecret(Tokens.hash(secret)));
        return secret;
    }

    /**
     * People acting with their own token only: bots get 20001, OAuth2 tokens 401 (the dispatcher
     * already refuses those on routes that name no scope; this keeps the rule with the service).
     */
    static void requirePersonsOwnToken(Principal who) {
        if (who.isBot()) {
            throw new ApiException(ErrorCode.BOTS_CANNOT_USE_ENDPOINT);
        }
        if (who.isOAuth2()) {
            throw new ApiException(ErrorCode.UNAUTHORIZED);
        }
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }
}
