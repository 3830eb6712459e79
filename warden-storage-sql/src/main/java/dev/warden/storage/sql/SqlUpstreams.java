package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.Upstreams;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link Upstreams} over the transaction's handle. */
final class SqlUpstreams implements Upstreams {

    private static final String VERSION_COLUMNS =
            "name, version, uplink, integrity, blob_key, size, state, reason, verified,"
                    + " attestations, ingested, log_index";

    private final Handle h;
    private final SqlChanges changes;

    SqlUpstreams(Handle h, SqlDialect dialect) {
        this.h = h;
        this.changes = new SqlChanges(h, dialect);
    }

    // ------------------------------------------------------------------ packuments

    @Override
    public Optional<UpstreamPackument> packument(String name) {
        return h.createQuery(
                        "SELECT name, uplink, body, etag, fetched, checked FROM"
                                + " upstream_packuments WHERE name = ?")
                .bind(0, name)
                .map(
                        (rs, ctx) ->
                                new UpstreamPackument(
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getBytes(3),
                                        rs.getString(4),
                                        instant(rs, 5),
                                        instant(rs, 6)))
                .findOne();
    }

    @Override
    public void putPackument(UpstreamPackument p) {
        h.createUpdate(
                        "INSERT INTO upstream_packuments (name, uplink, body, etag, fetched,"
                                + " checked) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO"
                                + " UPDATE SET uplink = excluded.uplink, body = excluded.body,"
                                + " etag = excluded.etag, fetched = excluded.fetched, checked ="
                                + " excluded.checked")
                .bind(0, p.name())
                .bind(1, p.uplink())
                .bind(2, p.body())
                .bind(3, p.etag())
                .bind(4, millis(p.fetched()))
                .bind(5, millis(p.checked()))
                .execute();
        changes.changed(ChangeFeed.UPSTREAM, p.name());
    }

    @Override
    public void checked(String name, Instant at) {
        h.createUpdate("UPDATE upstream_packuments SET checked = ? WHERE name = ?")
                .bind(0, millis(at))
                .bind(1, name)
                .execute();
        changes.changed(ChangeFeed.UPSTREAM, name);
    }

    // ------------------------------------------------------------------ ingested versions

    @Override
    public Optional<IngestedVersion> version(String name, String version) {
        return h.createQuery(
                        "SELECT "
                                + VERSION_COLUMNS
                                + " FROM upstream_versions WHERE name = ? AND version = ?")
                .bind(0, name)
                .bind(1, version)
                .map((rs, ctx) -> ingested(rs))
                .findOne();
    }

    @Override
    public List<IngestedVersion> versions(String name) {
        return h.createQuery(
                        "SELECT "
                                + VERSION_COLUMNS
                                + " FROM upstream_versions WHERE name = ? ORDER BY ingested,"
                                + " version")
                .bind(0, name)
                .map((rs, ctx) -> ingested(rs))
                .list();
    }

    @Override
    public boolean insertVersion(IngestedVersion v) {
        // DO NOTHING: what was verified once is kept; a later fetch never replaces it
        boolean inserted =
                h.createUpdate(
                                        "INSERT INTO upstream_versions ("
                                                + VERSION_COLUMNS
                                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON"
                                                + " CONFLICT (name, version) DO NOTHING")
                                .bind(0, v.name())
                                .bind(1, v.version())
                                .bind(2, v.uplink())
                                .bind(3, v.integrity())
                                .bind(4, v.blobKey())
                                .bind(5, v.size())
                                .bind(6, v.state())
                                .bind(7, v.reason())
                                .bind(8, v.verified())
                                .bind(9, v.attestations())
                                .bind(10, millis(v.ingested()))
                                .bind(11, v.logIndex())
                                .execute()
                        > 0;
        if (inserted) {
            changes.changed(ChangeFeed.UPSTREAM, v.name());
        }
        return inserted;
    }

    @Override
    public void setState(String name, String version, String state, String reason) {
        h.createUpdate(
                        "UPDATE upstream_versions SET state = ?, reason = ? WHERE name = ? AND"
                                + " version = ?")
                .bind(0, state)
                .bind(1, reason)
                .bind(2, name)
                .bind(3, version)
                .execute();
        changes.changed(ChangeFeed.UPSTREAM, name);
    }

    @Override
    public boolean deleteHeld(String name, String version) {
        boolean deleted =
                h.createUpdate(
                                        "DELETE FROM upstream_versions WHERE name = ? AND version ="
                                                + " ? AND state = 'held'")
                                .bind(0, name)
                                .bind(1, version)
                                .execute()
                        > 0;
        if (deleted) {
            changes.changed(ChangeFeed.UPSTREAM, name);
        }
        return deleted;
    }

    @Override
    public void setLogIndex(String name, String version, long index) {
        h.createUpdate("UPDATE upstream_versions SET log_index = ? WHERE name = ? AND version = ?")
                .bind(0, index)
                .bind(1, name)
                .bind(2, version)
                .execute();
        changes.changed(ChangeFeed.UPSTREAM, name);
    }

    private static IngestedVersion ingested(ResultSet rs) throws SQLException {
        long logIndex = rs.getLong(12);
        Long index = rs.wasNull() ? null : logIndex;
        return new IngestedVersion(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getBytes(10),
                instant(rs, 11),
                index);
    }

    // ------------------------------------------------------------------ quarantines

    @Override
    public List<Quarantine> quarantines(String name) {
        return h.createQuery(
                        "SELECT name, version, reason, source, at FROM upstream_quarantines"
                                + " WHERE name = ? ORDER BY version")
                .bind(0, name)
                .map((rs, ctx) -> quarantine(rs))
                .list();
    }

    @Override
    public List<Quarantine> quarantines(int limit) {
        return h.createQuery(
                        "SELECT name, version, reason, source, at FROM upstream_quarantines"
                                + " ORDER BY at DESC, name, version LIMIT ?")
                .bind(0, limit)
                .map((rs, ctx) -> quarantine(rs))
                .list();
    }

    @Override
    public void quarantine(Quarantine q) {
        h.createUpdate(
                        "INSERT INTO upstream_quarantines (name, version, reason, source, at)"
                                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, version) DO UPDATE"
                                + " SET reason = excluded.reason, source = excluded.source, at ="
                                + " excluded.at")
                .bind(0, q.name())
                .bind(1, q.version())
                .bind(2, q.reason())
                .bind(3, q.source())
                .bind(4, millis(q.at()))
                .execute();
        changes.changed(ChangeFeed.UPSTREAM, q.name());
    }

    @Override
    public boolean lift(String name, String version) {
        boolean lifted =
                h.createUpdate("DELETE FROM upstream_quarantines WHERE name = ? AND version = ?")
                                .bind(0, name)
                                .bind(1, version)
                                .execute()
                        > 0;
        if (lifted) {
            changes.changed(ChangeFeed.UPSTREAM, name);
        }
        return lifted;
    }

    private static Quarantine quarantine(ResultSet rs) throws SQLException {
        return new Quarantine(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5));
    }

    // ------------------------------------------------------------------ events

    @Override
    public void addEvent(UpstreamEvent e) {
        // the id given is ignored: the table numbers events in the order they were added
        h.createUpdate(
                        "INSERT INTO upstream_events (uplink, kind, name, version, detail, at)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, e.uplink())
                .bind(1, e.kind())
                .bind(2, e.name())
                .bind(3, e.version())
                .bind(4, e.detail())
                .bind(5, millis(e.at()))
                .execute();
    }

    @Override
    public List<UpstreamEvent> events(int limit) {
        return h.createQuery(
                        "SELECT id, uplink, kind, name, version, detail, at FROM upstream_events"
                                + " ORDER BY id DESC LIMIT ?")
                .bind(0, limit)
                .map(
                        (rs, ctx) ->
                                new UpstreamEvent(
                                        rs.getLong(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getString(5),
                                        rs.getString(6),
                                        instant(rs, 7)))
                .list();
    }
}
