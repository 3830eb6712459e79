package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.SecurityEvents;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link SecurityEvents} over the transaction's handle. */
final class SqlSecurityEvents implements SecurityEvents {

    private final Handle h;
    private final SqlDialect dialect;

    SqlSecurityEvents(Handle h, SqlDialect dialect) {
        this.h = h;
        this.dialect = dialect;
    }

    @Override
    public void append(String user, String kind, Instant at, String address, String detailJson) {
        h.createUpdate(
                        "INSERT INTO security_events (user_name, kind, at, address, detail) VALUES"
                                + " (?, ?, ?, ?, ?)")
                .bind(0, user)
                .bind(1, kind)
                .bind(2, millis(at))
                .bind(3, address)
                .bind(4, detailJson)
                .execute();
    }

    @Override
    public List<Event> list(String user, long beforeId, int limit) {
        return h.createQuery(
                        "SELECT * FROM security_events WHERE user_name = ? AND (? = 0 OR id < ?)"
                                + " ORDER BY id DESC LIMIT ?")
                .bind(0, user)
                .bind(1, beforeId)
                .bind(2, beforeId)
                .bind(3, limit)
                .map(
                        (rs, ctx) ->
                                new Event(
                                        rs.getLong("id"),
                                        rs.getString("user_name"),
                                        rs.getString("kind"),
                                        instant(rs, "at"),
                                        rs.getString("address"),
                                        rs.getString("detail")))
                .list();
    }

    @Override
    public Optional<Instant> latestOf(String user, List<String> kinds) {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT MAX(at) FROM security_events WHERE user_name = ? AND kind IN (");
        for (int i = 0; i < kinds.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(")");
        Query q = h.createQuery(sql.toString()).bind(0, user);
        for (int i = 0; i < kinds.size(); i++) {
            q.bind(i + 1, kinds.get(i));
        }
        return q.map((rs, ctx) -> instant(rs, 1)).findOne().flatMap(Optional::ofNullable);
    }

    @Override
    public boolean seen(String user, String kind, String address) {
        // EXISTS stops at the first match: counting read every event of the kind (each publish
        // asks it, and an account's publishes only grow)
        return h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM security_events WHERE user_name = ? AND kind"
                                + " = ? AND address = ?)")
                .bind(0, user)
                .bind(1, kind)
                .bind(2, address)
                .mapTo(Boolean.class)
                .one();
    }

    @Override
    public boolean seenClient(String user, String kind, String client) {
        // the detail is JSON the registry wrote; a row that is not is simply not a match
        return h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM security_events WHERE user_name = ? AND kind"
                                + " = ? AND "
                                + dialect.jsonMember("detail", "client")
                                + " = ?)")
                .bind(0, user)
                .bind(1, kind)
                .bind(2, client)
                .mapTo(Boolean.class)
                .one();
    }
}
