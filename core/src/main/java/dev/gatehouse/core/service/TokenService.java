package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.auth.Tokens;
import dev.gatehouse.core.store.Tx;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.OptionalLong;

/** Issues, revokes and checks authentication tokens; only their hashes are stored. */
public final class TokenService {

    /** Login tokens kept per user; older ones are revoked as new logins come in. */
    static final int MAX_TOKENS_PER_USER = 50;

    private final Platform.Context ctx;

    public TokenService(Platform.Context ctx) {
        this.ctx = ctx;
    }

    /** Issues a new token for the user inside the caller's transaction. */
    public String issue(Tx tx, long userId) {
        long now = ctx.clock().millis();
        String token = Tokens.generate(userId, now);
        tx.tokens().insert(userId, Tokens.hash(token), now);
        tx.tokens().trim(userId, MAX_TOKENS_PER_USER);
        return token;
    }

    /** Revokes every token of the user and issues one new one (bot token reset). */
    public String reset(Tx tx, long userId) {
        tx.tokens().deleteAllOf(userId);
        return issue(tx, userId);
    }

    /**
     * Who the token belongs to, if anyone. The token names its user; we compare its hash with each
     * of that user's stored hashes in constant time, so timing reveals nothing about the secret.
     */
    public Optional<Principal> authenticate(String token) {
        OptionalLong claimed = Tokens.claimedUserId(token);
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = Tokens.hash(token);
        return ctx.store().read(tx -> {
            boolean match = false;
            for (byte[] stored : tx.tokens().hashesOf(claimed.getAsLong())) {
                match |= MessageDigest.isEqual(stored, presented);
            }
            return match ? tx.users().find(claimed.getAsLong()).map(Principal::new) : Optional.<Principal>empty();
        });
    }
}
