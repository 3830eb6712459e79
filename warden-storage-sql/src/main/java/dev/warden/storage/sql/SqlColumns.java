package dev.warden.storage.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * How the store views write and read values the tables keep in another form (times as epoch
 * milliseconds).
 */
final class SqlColumns {

    private SqlColumns() {}

    static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** {@code s} as a literal inside a LIKE pattern that declares {@code ESCAPE '!'}. */
    static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
