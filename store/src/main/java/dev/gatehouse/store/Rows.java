package dev.gatehouse.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Small helpers for reading nullable columns and the comma-separated id lists. */
final class Rows {

    private Rows() {}

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static List<Long> idList(String csv) {
        List<Long> ids = new ArrayList<>();
        if (csv == null || csv.isEmpty()) {
            return ids;
        }
        for (String s : csv.split(",")) {
            ids.add(Long.parseLong(s));
        }
        return ids;
    }

    static String idCsv(Collection<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** True when the exception is a unique-key violation (SQLState class 23505 / H2 23505). */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
