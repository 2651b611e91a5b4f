package dev.gatehouse.store;

import dev.gatehouse.core.store.Tokens;
import java.util.List;
import org.jdbi.v3.core.Handle;

final class JdbcTokens implements Tokens {

    private final Handle h;

    JdbcTokens(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(long userId, byte[] tokenHash, long createdAt) {
        h.createUpdate("INSERT INTO tokens (token_hash, user_id, created_at) VALUES (:hash, :user, :at)")
                .bind("hash", tokenHash).bind("user", userId).bind("at", createdAt).execute();
    }

    @Override
    public List<byte[]> hashesOf(long userId) {
        return h.createQuery("SELECT token_hash FROM tokens WHERE user_id = :user").bind("user", userId)
                .map((rs, ctx) -> rs.getBytes(1)).list();
    }

    @Override
    public int deleteAllOf(long userId) {
        return h.createUpdate("DELETE FROM tokens WHERE user_id = :user").bind("user", userId).execute();
    }

    @Override
    public void trim(long userId, int keep) {
        List<byte[]> stale = h.createQuery("SELECT token_hash FROM tokens WHERE user_id = :user ORDER BY created_at DESC OFFSET :keep")
                .bind("user", userId).bind("keep", keep).map((rs, ctx) -> rs.getBytes(1)).list();
        for (byte[] hash : stale) {
            h.createUpdate("DELETE FROM tokens WHERE token_hash = :hash").bind("hash", hash).execute();
        }
    }
}
