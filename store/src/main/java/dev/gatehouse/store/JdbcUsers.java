package dev.gatehouse.store;

import dev.gatehouse.core.model.User;
import dev.gatehouse.core.store.Users;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

final class JdbcUsers implements Users {

    private static final String COLUMNS = "id, username, global_name, avatar, email, bot, flags, created_at";

    private final Handle h;

    JdbcUsers(Handle h) {
        this.h = h;
    }

    static User map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("global_name"), rs.getString("avatar"),
                rs.getString("email"), rs.getBoolean("bot"), rs.getInt("flags"), rs.getLong("created_at"));
    }

    private static String usernameKey(User u) {
        return u.bot() ? null : u.username().toLowerCase(Locale.ROOT);
    }

    private static String emailKey(User u) {
        return u.email() == null ? null : u.email().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean insert(User u, String passwordHash) {
        return h.createUpdate("INSERT INTO users (" + COLUMNS + ", username_key, email_key, password_hash) "
                        + "VALUES (:id, :username, :globalName, :avatar, :email, :bot, :flags, :createdAt, :usernameKey, :emailKey, :hash) "
                        + "ON CONFLICT DO NOTHING")
                .bindMethods(u)
                .bind("usernameKey", usernameKey(u))
                .bind("emailKey", emailKey(u))
                .bind("hash", passwordHash)
                .execute() == 1;
    }

    @Override
    public void lock(long id) {
        h.createQuery("SELECT id FROM users WHERE id = :id FOR UPDATE").bind("id", id).mapTo(Long.class).findOne();
    }

    @Override
    public Optional<User> find(long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id").bind("id", id)
                .map(JdbcUsers::map).findOne();
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE username_key = :k")
                .bind("k", username.toLowerCase(Locale.ROOT)).map(JdbcUsers::map).findOne();
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE email_key = :k")
                .bind("k", email.toLowerCase(Locale.ROOT)).map(JdbcUsers::map).findOne();
    }

    @Override
    public List<User> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id IN (<ids>)").bindList("ids", List.copyOf(ids))
                .map(JdbcUsers::map).list();
    }

    @Override
    public Optional<String> passwordHash(long id) {
        return h.createQuery("SELECT password_hash FROM users WHERE id = :id").bind("id", id)
                .mapTo(String.class).findOne();
    }

    @Override
    public boolean update(User u) {
        String key = usernameKey(u);
        if (key != null) {
            boolean taken = h.createQuery("SELECT COUNT(*) FROM users WHERE username_key = :k AND id <> :id")
                    .bind("k", key).bind("id", u.id()).mapTo(Integer.class).one() > 0;
            if (taken) {
                return false;
            }
        }
        h.createUpdate("UPDATE users SET username = :username, username_key = :usernameKey, global_name = :globalName, "
                        + "avatar = :avatar, email = :email, email_key = :emailKey, flags = :flags WHERE id = :id")
                .bindMethods(u).bind("usernameKey", key).bind("emailKey", emailKey(u)).execute();
        return true;
    }

    @Override
    public void updatePasswordHash(long id, String passwordHash) {
        h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id").bind("id", id).bind("hash", passwordHash).execute();
    }
}
