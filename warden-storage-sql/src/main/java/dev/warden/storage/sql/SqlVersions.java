package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.Versions;
import dev.warden.storage.Versions.VersionRecord;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link Versions} over the transaction's handle. */
final class SqlVersions implements Versions {

    private final Handle h;
    private final SqlChanges changes;

    SqlVersions(Handle h, SqlDialect dialect) {
        this.h = h;
        this.changes = new SqlChanges(h, dialect);
    }

    private VersionRecord map(ResultSet rs) throws SQLException {
        return new VersionRecord(
                rs.getString("name"),
                rs.getString("version"),
                rs.getString("manifest"),
                rs.getString("integrity"),
                rs.getString("shasum"),
                rs.getString("blob_key"),
                rs.getLong("tarball_size"),
                rs.getInt("file_count"),
                rs.getLong("unpacked_size"),
                instant(rs, "published"),
                rs.getString("publisher"),
                rs.getString("deprecated"),
                rs.getString("differences"),
                instant(rs, "unpublished"));
    }

    @Override
    public List<VersionRecord> all(String name) {
        return h.createQuery("SELECT * FROM versions WHERE name = ? ORDER BY seq")
                .bind(0, name)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    @Override
    public Optional<VersionRecord> find(String name, String version) {
        return h.createQuery("SELECT * FROM versions WHERE name = ? AND version = ?")
                .bind(0, name)
                .bind(1, version)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    @Override
    public void insert(VersionRecord v) {
        long seq =
                h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM versions WHERE name = ?")
                        .bind(0, v.name())
                        .mapTo(Long.class)
                        .one();
        h.createUpdate(
                        """
                        INSERT INTO versions (name, version, seq, manifest, integrity, shasum, blob_key, tarball_size,
                            file_count, unpacked_size, published, publisher, deprecated, differences, unpublished)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)\
                        """)
                .bind(0, v.name())
                .bind(1, v.version())
                .bind(2, seq)
                .bind(3, v.manifest())
                .bind(4, v.integrity())
                .bind(5, v.shasum())
                .bind(6, v.blobKey())
                .bind(7, v.tarballSize())
                .bind(8, v.fileCount())
                .bind(9, v.unpackedSize())
                .bind(10, millis(v.published()))
                .bind(11, v.publisher())
                .bind(12, v.deprecated())
                .bind(13, v.differences())
                .bind(14, millis(v.unpublished()))
                .execute();
        changes.changed(ChangeFeed.PACKAGE, v.name());
    }

    @Override
    public void setDeprecated(String name, String version, String message) {
        h.createUpdate("UPDATE versions SET deprecated = ? WHERE name = ? AND version = ?")
                .bind(0, message)
                .bind(1, name)
                .bind(2, version)
                .execute();
        changes.changed(ChangeFeed.PACKAGE, name);
    }

    @Override
    public void setUnpublished(String name, String version, Instant at) {
        h.createUpdate("UPDATE versions SET unpublished = ? WHERE name = ? AND version = ?")
                .bind(0, millis(at))
                .bind(1, name)
                .bind(2, version)
                .execute();
        changes.changed(ChangeFeed.PACKAGE, name);
    }

    @Override
    public List<String> recentlyPublished(int limit) {
        return h.createQuery(
                        "SELECT name FROM versions WHERE unpublished IS NULL GROUP BY name ORDER BY"
                                + " MAX(published) DESC, name LIMIT ?")
                .bind(0, limit)
                .mapTo(String.class)
                .list();
    }

    @Override
    public boolean blobReferenced(String sha512Hex) {
        return h.createQuery(
                                "SELECT COUNT(*) FROM versions WHERE blob_key = ? AND unpublished"
                                        + " IS NULL")
                        .bind(0, sha512Hex)
                        .mapTo(Long.class)
                        .one()
                > 0;
    }
}
