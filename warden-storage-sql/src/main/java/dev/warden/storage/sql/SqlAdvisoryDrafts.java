package dev.warden.storage.sql;

import dev.warden.storage.AdvisoryDrafts;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link AdvisoryDrafts} over the transaction's handle. */
final class SqlAdvisoryDrafts implements AdvisoryDrafts {

    private static final String COLUMNS =
            "id, package, affected, severity, summary, details, patched, refs, created_by,"
                    + " created, updated, osv_id";

    private final Handle h;

    SqlAdvisoryDrafts(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(Draft d) {
        h.createUpdate(
                        "INSERT INTO advisory_drafts ("
                                + COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, d.id())
                .bind(1, d.pkg())
                .bind(2, d.affected())
                .bind(3, d.severity())
                .bind(4, d.summary())
                .bind(5, d.details())
                .bind(6, d.patched())
                .bind(7, d.references())
                .bind(8, d.createdBy())
                .bind(9, d.created().toEpochMilli())
                .bind(10, d.updated().toEpochMilli())
                .bind(11, d.osvId())
                .execute();
    }

    @Override
    public void update(Draft d) {
        h.createUpdate(
                        "UPDATE advisory_drafts SET affected = ?, severity = ?, summary = ?,"
                                + " details = ?, patched = ?, refs = ?, updated = ?, osv_id = ?"
                                + " WHERE id = ?")
                .bind(0, d.affected())
                .bind(1, d.severity())
                .bind(2, d.summary())
                .bind(3, d.details())
                .bind(4, d.patched())
                .bind(5, d.references())
                .bind(6, d.updated().toEpochMilli())
                .bind(7, d.osvId())
                .bind(8, d.id())
                .execute();
    }

    @Override
    public Optional<Draft> find(String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM advisory_drafts WHERE id = ?")
                .bind(0, id)
                .map((rs, ctx) -> draft(rs))
                .findOne();
    }

    @Override
    public boolean invite(String id, String user, String invitedBy, Instant at) {
        return h.createUpdate(
                                "INSERT INTO advisory_invites (draft, \"user\", invited_by, at)"
                                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, id)
                        .bind(1, user)
                        .bind(2, invitedBy)
                        .bind(3, at.toEpochMilli())
                        .execute()
                > 0;
    }

    @Override
    public boolean uninvite(String id, String user) {
        return h.createUpdate("DELETE FROM advisory_invites WHERE draft = ? AND \"user\" = ?")
                        .bind(0, id)
                        .bind(1, user)
                        .execute()
                > 0;
    }

    @Override
    public boolean isInvited(String id, String user) {
        return h.createQuery("SELECT 1 FROM advisory_invites WHERE draft = ? AND \"user\" = ?")
                .bind(0, id)
                .bind(1, user)
                .mapTo(Integer.class)
                .findOne()
                .isPresent();
    }

    @Override
    public List<Invite> invites(String id) {
        return h.createQuery(
                        "SELECT \"user\", invited_by, at FROM advisory_invites WHERE draft = ?"
                                + " ORDER BY at, \"user\"")
                .bind(0, id)
                .map(
                        (rs, ctx) ->
                                new Invite(
                                        rs.getString(1),
                                        rs.getString(2),
                                        Instant.ofEpochMilli(rs.getLong(3))))
                .list();
    }

    @Override
    public void comment(String id, String user, String text, Instant at) {
        h.createUpdate(
                        "INSERT INTO advisory_comments (draft, \"user\", text, at) VALUES (?, ?, ?,"
                                + " ?)")
                .bind(0, id)
                .bind(1, user)
                .bind(2, text)
                .bind(3, at.toEpochMilli())
                .execute();
    }

    @Override
    public List<Comment> comments(String id) {
        return h.createQuery(
                        "SELECT id, \"user\", text, at FROM advisory_comments WHERE draft = ? ORDER"
                                + " BY id")
                .bind(0, id)
                .map(
                        (rs, ctx) ->
                                new Comment(
                                        rs.getLong(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        Instant.ofEpochMilli(rs.getLong(4))))
                .list();
    }

    @Override
    public int commentCount(String id) {
        return h.createQuery("SELECT COUNT(*) FROM advisory_comments WHERE draft = ?")
                .bind(0, id)
                .mapTo(Integer.class)
                .one();
    }

    @Override
    public List<Draft> candidates(String user, List<String> packages, int limit) {
        StringBuilder sql =
                new StringBuilder("SELECT ")
                        .append(COLUMNS)
                        .append(
                                " FROM advisory_drafts WHERE created_by = :user OR id IN (SELECT"
                                        + " draft FROM advisory_invites WHERE \"user\" = :user)");
        if (!packages.isEmpty()) {
            sql.append(" OR package IN (<packages>)");
        }
        sql.append(" ORDER BY created DESC, id LIMIT :limit");
        var q = h.createQuery(sql.toString()).bind("user", user).bind("limit", limit);
        if (!packages.isEmpty()) {
            q.bindList("packages", packages);
        }
        return q.map((rs, ctx) -> draft(rs)).list();
    }

    private static Draft draft(ResultSet rs) throws SQLException {
        return new Draft(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                Instant.ofEpochMilli(rs.getLong(10)),
                Instant.ofEpochMilli(rs.getLong(11)),
                rs.getString(12));
    }
}
