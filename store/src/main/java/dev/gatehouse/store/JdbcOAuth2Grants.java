package dev.gatehouse.store;

import dev.gatehouse.core.auth.OAuth2Scopes;
import dev.gatehouse.core.model.AccessGrant;
import dev.gatehouse.core.model.AuthorizationCode;
import dev.gatehouse.core.model.OAuth2Client;
import dev.gatehouse.core.store.OAuth2Grants;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

final class JdbcOAuth2Grants implements OAuth2Grants {

    private static final String GRANT_COLUMNS = "id, application_id, user_id, scopes, expires_at, created_at, refresh_hash IS NOT NULL AS refreshable";

    private final Handle h;

    JdbcOAuth2Grants(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<OAuth2Client> client(long applicationId) {
        return h.createQuery("SELECT secret_hash, redirect_uris, rpc_origins FROM oauth2_clients WHERE application_id = :id")
                .bind("id", applicationId)
                .map((rs, ctx) -> new OAuth2Client(applicationId, rs.getBytes("secret_hash"),
                        lines(rs.getString("redirect_uris")), lines(rs.getString("rpc_origins"))))
                .findOne();
    }

    @Override
    public void saveClient(OAuth2Client c) {
        int updated = h.createUpdate("UPDATE oauth2_clients SET secret_hash = :secret, redirect_uris = :redirects, rpc_origins = :origins"
                        + " WHERE application_id = :id")
                .bind("id", c.applicationId()).bind("secret", c.secretHash())
                .bind("redirects", String.join("\n", c.redirectUris())).bind("origins", String.join("\n", c.rpcOrigins()))
                .execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO oauth2_clients (application_id, secret_hash, redirect_uris, rpc_origins)"
                            + " VALUES (:id, :secret, :redirects, :origins)")
                    .bind("id", c.applicationId()).bind("secret", c.secretHash())
                    .bind("redirects", String.join("\n", c.redirectUris())).bind("origins", String.join("\n", c.rpcOrigins()))
                    .execute();
        }
    }

    @Override
    public void insertCode(byte[] codeHash, AuthorizationCode code) {
        h.createUpdate("INSERT INTO oauth2_codes (code_hash, application_id, user_id, scopes, redirect_uri, expires_at)"
                        + " VALUES (:hash, :app, :user, :scopes, :redirect, :expires)")
                .bind("hash", codeHash).bind("app", code.applicationId()).bind("user", code.userId())
                .bind("scopes", OAuth2Scopes.join(code.scopes())).bind("redirect", code.redirectUri())
                .bind("expires", code.expiresAt()).execute();
    }

    @Override
    public Optional<AuthorizationCode> takeCode(byte[] codeHash) {
        Optional<AuthorizationCode> code = h.createQuery(
                        "SELECT application_id, user_id, scopes, redirect_uri, expires_at FROM oauth2_codes WHERE code_hash = :hash")
                .bind("hash", codeHash)
                .map((rs, ctx) -> new AuthorizationCode(rs.getLong("application_id"), rs.getLong("user_id"),
                        words(rs.getString("scopes")), rs.getString("redirect_uri"), rs.getLong("expires_at")))
                .findOne();
        // the delete decides: a concurrent exchange that read the same row deletes nothing
        int deleted = h.createUpdate("DELETE FROM oauth2_codes WHERE code_hash = :hash").bind("hash", codeHash).execute();
        return deleted == 1 ? code : Optional.empty();
    }

    @Override
    public void deleteExpiredCodes(long nowMillis) {
        h.createUpdate("DELETE FROM oauth2_codes WHERE expires_at < :now").bind("now", nowMillis).execute();
    }

    @Override
    public void insertGrant(AccessGrant g, byte[] accessHash, byte[] refreshHash) {
        h.createUpdate("INSERT INTO oauth2_tokens (id, access_hash, refresh_hash, application_id, user_id, scopes, expires_at, created_at)"
                        + " VALUES (:id, :access, :refresh, :app, :user, :scopes, :expires, :created)")
                .bind("id", g.id()).bind("access", accessHash).bind("refresh", refreshHash)
                .bind("app", g.applicationId()).bind("user", g.userId()).bind("scopes", OAuth2Scopes.join(g.scopes()))
                .bind("expires", g.expiresAt()).bind("created", g.createdAt()).execute();
    }

    @Override
    public Optional<AccessGrant> byAccessToken(byte[] accessHash) {
        return h.createQuery("SELECT " + GRANT_COLUMNS + " FROM oauth2_tokens WHERE access_hash = :hash").bind("hash", accessHash)
                .map(JdbcOAuth2Grants::grant).findOne();
    }

    @Override
    public Optional<AccessGrant> byRefreshToken(byte[] refreshHash) {
        return h.createQuery("SELECT " + GRANT_COLUMNS + " FROM oauth2_tokens WHERE refresh_hash = :hash").bind("hash", refreshHash)
                .map(JdbcOAuth2Grants::grant).findOne();
    }

    @Override
    public Optional<AccessGrant> grant(long id) {
        return h.createQuery("SELECT " + GRANT_COLUMNS + " FROM oauth2_tokens WHERE id = :id").bind("id", id)
                .map(JdbcOAuth2Grants::grant).findOne();
    }

    @Override
    public List<AccessGrant> grantsOf(long userId) {
        return h.createQuery("SELECT " + GRANT_COLUMNS + " FROM oauth2_tokens WHERE user_id = :user ORDER BY id DESC")
                .bind("user", userId).map(JdbcOAuth2Grants::grant).list();
    }

    @Override
    public boolean deleteGrant(long id) {
        return h.createUpdate("DELETE FROM oauth2_tokens WHERE id = :id").bind("id", id).execute() == 1;
    }

    @Override
    public void deleteExpiredGrants(long nowMillis) {
        h.createUpdate("DELETE FROM oauth2_tokens WHERE expires_at < :now AND refresh_hash IS NULL").bind("now", nowMillis).execute();
    }

    private static AccessGrant grant(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AccessGrant(rs.getLong("id"), rs.getLong("application_id"), rs.getLong("user_id"), words(rs.getString("scopes")),
                rs.getLong("expires_at"), rs.getLong("created_at"), rs.getBoolean("refreshable"));
    }

    private static List<String> lines(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
    }

    private static Set<String> words(String joined) {
        return OAuth2Scopes.parse(joined);
    }
}
