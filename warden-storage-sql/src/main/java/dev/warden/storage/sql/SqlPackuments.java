package dev.warden.storage.sql;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.Packuments;
import dev.warden.storage.Packuments.PackumentRecord;

import org.jdbi.v3.core.Handle;

import java.util.Optional;

/** {@link Packuments} over the transaction's handle. */
final class SqlPackuments implements Packuments {

    private final Handle h;
    private final SqlChanges changes;

    SqlPackuments(Handle h, SqlDialect dialect) {
        this.h = h;
        this.changes = new SqlChanges(h, dialect);
    }

    @Override
    public Optional<PackumentRecord> find(String name) {
        return h.createQuery("SELECT * FROM packuments WHERE name = ?")
                .bind(0, name)
                .map(
                        (rs, ctx) ->
                                new PackumentRecord(
                                        rs.getString("name"),
                                        rs.getLong("rev"),
                                        rs.getBytes("full_doc"),
                                        rs.getBytes("full_gzip"),
                                        rs.getString("full_etag"),
                                        rs.getBytes("abbreviated"),
                                        rs.getBytes("abbreviated_gzip"),
                                        rs.getString("abbreviated_etag")))
                .findOne();
    }

    @Override
    public void put(PackumentRecord p) {
        h.createUpdate(
                        """
                        INSERT INTO packuments (name, full_doc, full_gzip, full_etag, abbreviated, abbreviated_gzip, abbreviated_etag, rev)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (name) DO UPDATE SET full_doc = excluded.full_doc, full_gzip = excluded.full_gzip, rev = excluded.rev,
                            full_etag = excluded.full_etag, abbreviated = excluded.abbreviated,
                            abbreviated_gzip = excluded.abbreviated_gzip, abbreviated_etag = excluded.abbreviated_etag\
                        """)
                .bind(0, p.name())
                .bind(1, p.full())
                .bind(2, p.fullGzip())
                .bind(3, p.fullEtag())
                .bind(4, p.abbreviated())
                .bind(5, p.abbreviatedGzip())
                .bind(6, p.abbreviatedEtag())
                .bind(7, p.rev())
                .execute();
        changes.changed(ChangeFeed.PACKAGE, p.name());
    }

    @Override
    public void remove(String name) {
        h.createUpdate("DELETE FROM packuments WHERE name = ?").bind(0, name).execute();
        changes.changed(ChangeFeed.PACKAGE, name);
    }
}
