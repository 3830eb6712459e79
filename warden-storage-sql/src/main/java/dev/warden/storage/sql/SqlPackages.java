package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.escapeLike;
import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.Packages;
import dev.warden.storage.Packages.PackageRecord;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.util.List;
import java.util.Optional;

/** {@link Packages} over the transaction's handle. */
final class SqlPackages implements Packages {

    private final Handle h;
    private final SqlChanges changes;
    private final SqlDialect dialect;

    SqlPackages(Handle h, SqlDialect dialect) {
        this.h = h;
        this.changes = new SqlChanges(h, dialect);
        this.dialect = dialect;
    }

    @Override
    public Optional<PackageRecord> find(String name) {
        return h.createQuery("SELECT * FROM packages WHERE name = ?")
                .bind(0, name)
                .map(
                        (rs, ctx) ->
                                new PackageRecord(
                                        rs.getString("name"),
                                        instant(rs, "created"),
                                        instant(rs, "modified"),
                                        rs.getLong("rev"),
                                        rs.getString("access"),
                                        instant(rs, "unpublished")))
                .findOne();
    }

    @Override
    public void insert(PackageRecord p) {
        h.createUpdate(
                        "INSERT INTO packages (name, created, modified, rev, access, unpublished)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, p.name())
                .bind(1, millis(p.created()))
                .bind(2, millis(p.modified()))
                .bind(3, p.rev())
                .bind(4, p.access())
                .bind(5, millis(p.unpublished()))
                .execute();
        changes.changed(ChangeFeed.PACKAGE, p.name());
    }

    @Override
    public void update(PackageRecord p) {
        h.createUpdate(
                        "UPDATE packages SET modified = ?, rev = ?, access = ?, unpublished = ?"
                                + " WHERE name = ?")
                .bind(0, millis(p.modified()))
                .bind(1, p.rev())
                .bind(2, p.access())
                .bind(3, millis(p.unpublished()))
                .bind(4, p.name())
                .execute();
        changes.changed(ChangeFeed.PACKAGE, p.name());
    }

    @Override
    public List<String> names(String scope) {
        Query q =
                scope == null
                        ? h.createQuery(
                                "SELECT name FROM packages WHERE unpublished IS NULL ORDER BY name")
                        : h.createQuery(
                                        "SELECT name FROM packages WHERE unpublished IS NULL AND"
                                                + " name "
                                                + dialect.like()
                                                + " ? ESCAPE '!' ORDER BY name")
                                .bind(0, escapeLike(scope) + "/%");
        return q.mapTo(String.class).list();
    }
}
