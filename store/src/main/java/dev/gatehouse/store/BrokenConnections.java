package dev.gatehouse.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells the pool which errors mean the connection itself is gone, so it is evicted at once instead
 * of being handed out again. HikariCP knows the standard connection states (class 08) and
 * PostgreSQL's; H2 reports a broken connection with codes of its own. Without this, a pool whose
 * connections are all in steady use (the event log is read every quarter second) would keep
 * broken ones, since only a connection idle for a while is tested before use.
 */
public final class BrokenConnections implements SQLExceptionOverride {

    /** H2: connection broken, database closed, database already closed. */
    private static final Set<Integer> H2_GONE = Set.of(90067, 90098, 90121);

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (H2_GONE.contains(sql.getErrorCode())
                    || (sql.getSQLState() != null && sql.getSQLState().startsWith("08")))) {
                return SQLExceptionOverride.Override.MUST_EVICT;
            }
        }
        return SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
