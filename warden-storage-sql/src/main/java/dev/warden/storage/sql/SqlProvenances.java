package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.Provenances;
import dev.warden.storage.Provenances.ProvenanceRecord;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** {@link Provenances} over the transaction's handle. */
final class SqlProvenances implements Provenances {

    private final Handle h;

    SqlProvenances(Handle h) {
        this.h = h;
    }

    private ProvenanceRecord record(ResultSet rs) throws SQLException {
        return new ProvenanceRecord(
                rs.getString("package"),
                rs.getString("version"),
                rs.getString("predicate_type"),
                rs.getString("bundle"),
                rs.getString("facts"),
                rs.getString("publish_attestation"),
                instant(rs, "created"));
    }

    @Override
    public void put(ProvenanceRecord r) {
        h.createUpdate(
                        """
                        INSERT INTO provenance (package, version, predicate_type, bundle, facts, publish_attestation, created)
                        VALUES (?, ?, ?, ?, ?, ?, ?)\
                        """)
                .bind(0, r.pkg())
                .bind(1, r.version())
                .bind(2, r.predicateType())
                .bind(3, r.bundle())
                .bind(4, r.facts())
                .bind(5, r.publishAttestation())
                .bind(6, millis(r.created()))
                .execute();
    }

    @Override
    public Optional<ProvenanceRecord> find(String pkg, String version) {
        return h.createQuery("SELECT * FROM provenance WHERE package = ? AND version = ?")
                .bind(0, pkg)
                .bind(1, version)
                .map((rs, ctx) -> record(rs))
                .findOne();
    }

    @Override
    public Optional<ProvenanceRecord> latestLive(String pkg) {
        return h.createQuery(
                        """
                        SELECT p.* FROM provenance p JOIN versions v ON v.name = p.package AND v.version = p.version
                        WHERE p.package = ? AND v.unpublished IS NULL ORDER BY p.created DESC LIMIT 1\
                        """)
                .bind(0, pkg)
                .map((rs, ctx) -> record(rs))
                .findOne();
    }
}
