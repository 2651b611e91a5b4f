package dev.gatehouse.core.store;

import dev.gatehouse.core.model.User;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

public interface Users {
    /** Inserts a user; {@code passwordHash} is null for bots. False when the username is taken. */
    boolean insert(User user, String passwordHash);

    Optional<User> find(long id);

    /**
     * Locks the user's row until the transaction ends, so that changes counted per user (the
     * daily session starts) are made one after another even by different processes.
     */
    void lock(long id);

    /** Case-insensitive. */
    Optional<User> findByUsername(String username);

    Optional<User> findByEmail(String email);

    List<User> findAll(Collection<Long> ids);

    Optional<String> passwordHash(long id);

    /** False when the new username is taken by someone else. */
    boolean update(User user);

    void updatePasswordHash(long id, String passwordHash);
}
