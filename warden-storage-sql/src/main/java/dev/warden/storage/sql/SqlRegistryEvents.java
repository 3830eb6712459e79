package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.RegistryEvents;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link RegistryEvents} over the transaction's handle. */
final class SqlRegistryEvents implements RegistryEvents {

    private final Handle h;

    SqlRegistryEvents(Handle h) {
        this.h = h;
    }

    private EventRecord map(ResultSet rs) throws SQLException {
        long index = rs.getLong("log_index");
        Long logIndex = rs.wasNull() ? null : index;
        return new EventRecord(
                rs.getLong("id"),
                rs.getString("kind"),
                rs.getString("package"),
                rs.getString("version"),
                rs.getString("statement"),
                rs.getString("opening"),
                instant(rs, "at"),
                logIndex);
    }

    @Override
    public long nextId() {
        return h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM registry_events")
                .mapTo(Long.class)
                .one();
    }

    @Override
    public void add(
            long id,
            String kind,
            String pkg,
            String version,
            String statement,
            String opening,
            Instant at) {
        h.createUpdate(
                        "INSERT INTO registry_events (id, kind, package, version, statement,"
                                + " opening, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(0, id)
                .bind(1, kind)
                .bind(2, pkg)
                .bind(3, version)
                .bind(4, statement)
                .bind(5, opening)
                .bind(6, millis(at))
                .execute();
    }

    @Override
    public List<EventRecord> unlogged(int limit) {
        return h.createQuery(
                        "SELECT * FROM registry_events WHERE log_index IS NULL ORDER BY id LIMIT ?")
                .bind(0, limit)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    @Override
    public void setLogIndex(long id, long logIndex) {
        h.createUpdate("UPDATE registry_events SET log_index = ? WHERE id = ?")
                .bind(0, logIndex)
                .bind(1, id)
                .execute();
    }

    @Override
    public Map<String, Long> publishIndexes(String pkg) {
        Map<String, Long> out = new LinkedHashMap<>();
        h.createQuery(
                        "SELECT version, log_index FROM registry_events WHERE package = ? AND kind"
                                + " = 'package.published' AND log_index IS NOT NULL")
                .bind(0, pkg)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public List<EventRecord> of(String pkg) {
        return h.createQuery("SELECT * FROM registry_events WHERE package = ? ORDER BY id")
                .bind(0, pkg)
                .map((rs, ctx) -> map(rs))
                .list();
    }
}
