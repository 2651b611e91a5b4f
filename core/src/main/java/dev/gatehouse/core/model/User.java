package dev.gatehouse.core.model;

/** An account: a person or an application's bot user. The password hash is kept by the store only. */
public record User(
        long id,
        String username,
        String globalName,
        String avatar,
        String email,
        boolean bot,
        int flags,
        long createdAt) {

    public User withoutEmail() {
        return new User(id, username, globalName, avatar, null, bot, flags, createdAt);
    }

    public User withProfile(String username, String globalName, String avatar) {
        return new User(id, username, globalName, avatar, email, bot, flags, createdAt);
    }
}
