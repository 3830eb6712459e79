package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.TrustedPublishers;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link TrustedPublishers} over the transaction's handle. */
final class SqlTrustedPublishers implements TrustedPublishers {

    private final Handle h;

    SqlTrustedPublishers(Handle h) {
        this.h = h;
    }

    private TrustRecord trust(ResultSet rs) throws SQLException {
        return new TrustRecord(
                rs.getString("id"),
                rs.getString("package"),
                rs.getString("type"),
                rs.getString("claims"),
                split(rs.getString("permissions")),
                instant(rs, "created"),
                rs.getString("created_by"));
    }

    @Override
    public List<TrustRecord> of(String pkg) {
        return h.createQuery(
                        "SELECT * FROM trusted_publishers WHERE package = ? ORDER BY created, id")
                .bind(0, pkg)
                .map((rs, ctx) -> trust(rs))
                .list();
    }

    @Override
    public Optional<TrustRecord> find(String pkg, String id) {
        return h.createQuery("SELECT * FROM trusted_publishers WHERE package = ? AND id = ?")
                .bind(0, pkg)
                .bind(1, id)
                .map((rs, ctx) -> trust(rs))
                .findOne();
    }

    @Override
    public void insert(TrustRecord t) {
        h.createUpdate(
                        """
                        INSERT INTO trusted_publishers (id, package, type, claims, permissions, created, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?)\
                        """)
                .bind(0, t.id())
                .bind(1, t.pkg())
                .bind(2, t.type())
                .bind(3, t.claims())
                .bind(4, String.join(",", t.permissions()))
                .bind(5, millis(t.created()))
                .bind(6, t.createdBy())
                .execute();
    }

    @Override
    public boolean delete(String pkg, String id) {
        return h.createUpdate("DELETE FROM trusted_publishers WHERE package = ? AND id = ?")
                        .bind(0, pkg)
                        .bind(1, id)
                        .execute()
                > 0;
    }

    @Override
    public boolean useIdToken(String key, Instant expires) {
        return h.createUpdate(
                                "INSERT INTO used_id_tokens (token_key, expires) VALUES (?, ?) ON"
                                        + " CONFLICT (token_key) DO NOTHING")
                        .bind(0, key)
                        .bind(1, millis(expires))
                        .execute()
                > 0;
    }

    @Override
    public void insertToken(PublishToken t) {
        h.createUpdate(
                        """
                        INSERT INTO publish_tokens (token_hash, package, trust_id, permissions, identity, created, expires)
                        VALUES (?, ?, ?, ?, ?, ?, ?)\
                        """)
                .bind(0, t.hash())
                .bind(1, t.pkg())
                .bind(2, t.trustId())
                .bind(3, String.join(",", t.permissions()))
                .bind(4, t.identity())
                .bind(5, millis(t.created()))
                .bind(6, millis(t.expires()))
                .execute();
    }

    @Override
    public Optional<PublishToken> findToken(String hash) {
        return h.createQuery("SELECT * FROM publish_tokens WHERE token_hash = ?")
                .bind(0, hash)
                .map(
                        (rs, ctx) ->
                                new PublishToken(
                                        rs.getString("token_hash"),
                                        rs.getString("package"),
                                        rs.getString("trust_id"),
                                        split(rs.getString("permissions")),
                                        rs.getString("identity"),
                                        instant(rs, "created"),
                                        instant(rs, "expires")))
                .findOne();
    }

    @Override
    public int prune(Instant now) {
        return h.createUpdate("DELETE FROM used_id_tokens WHERE expires < ?")
                        .bind(0, millis(now))
                        .execute()
                + h.createUpdate("DELETE FROM publish_tokens WHERE expires < ?")
                        .bind(0, millis(now))
                        .execute();
    }

    private static List<String> split(String csv) {
        return csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }
}
