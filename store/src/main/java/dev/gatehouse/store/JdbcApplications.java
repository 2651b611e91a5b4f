package dev.gatehouse.store;

import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.store.Applications;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

final class JdbcApplications implements Applications {

    private static final String COLUMNS = "id, name, description, owner_id, flags, bot_public, created_at";

    private final Handle h;

    JdbcApplications(Handle h) {
        this.h = h;
    }

    private static Application map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Application(rs.getLong("id"), rs.getString("name"), rs.getString("description"), rs.getLong("owner_id"),
                rs.getInt("flags"), rs.getBoolean("bot_public"), rs.getLong("created_at"));
    }

    @Override
    public void insert(Application a) {
        h.createUpdate("INSERT INTO applications (" + COLUMNS + ") VALUES (:id, :name, :description, :ownerId, :flags, :botPublic, :createdAt)")
                .bindMethods(a).execute();
    }

    @Override
    public Optional<Application> find(long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM applications WHERE id = :id").bind("id", id)
                .map(JdbcApplications::map).findOne();
    }

    @Override
    public List<Application> listByOwner(long ownerId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM applications WHERE owner_id = :o ORDER BY id").bind("o", ownerId)
                .map(JdbcApplications::map).list();
    }

    @Override
    public void updateFlags(long id, int flags) {
        h.createUpdate("UPDATE applications SET flags = :f WHERE id = :id").bind("id", id).bind("f", flags).execute();
    }

    @Override
    public void update(Application a) {
        h.createUpdate("UPDATE applications SET name = :name, description = :description, flags = :flags, bot_public = :botPublic WHERE id = :id")
                .bindMethods(a).execute();
    }
}
