package dev.gatehouse.core.store;

import java.util.List;

/** Hashes of the tokens a user may authenticate with; the tokens themselves are never stored. */
public interface Tokens {
    void insert(long userId, byte[] tokenHash, long createdAt);

    List<byte[]> hashesOf(long userId);

    /** Revokes every token of the user; returns how many were revoked. */
    int deleteAllOf(long userId);

    /** Keeps the newest {@code keep} tokens of the user and deletes the rest. */
    void trim(long userId, int keep);
}
