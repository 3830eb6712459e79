package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.ReviewFacts;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Collection;

/** {@link ReviewFacts} over the transaction's handle. */
final class SqlReviewFacts implements ReviewFacts {

    private final Handle h;

    SqlReviewFacts(Handle h) {
        this.h = h;
    }

    @Override
    public void recordNewFiles(
            String pkg, String version, Collection<String> sha256Hex, Instant at) {
        for (String sha : sha256Hex) {
            h.createUpdate(
                            "INSERT INTO release_files (sha256, package, version, at) VALUES (?, ?,"
                                    + " ?, ?) ON CONFLICT DO NOTHING")
                    .bind(0, sha)
                    .bind(1, pkg)
                    .bind(2, version)
                    .bind(3, millis(at))
                    .execute();
        }
    }

    @Override
    public int otherPackagesWithNewFile(String sha256Hex, String pkg, Instant since) {
        return h.createQuery(
                        "SELECT COUNT(DISTINCT package) FROM release_files WHERE sha256 = ? AND at"
                                + " >= ? AND package <> ?")
                .bind(0, sha256Hex)
                .bind(1, millis(since))
                .bind(2, pkg)
                .mapTo(Integer.class)
                .one();
    }

    @Override
    public void recordSummary(String pkg, String version, byte[] summary) {
        h.createUpdate(
                        "INSERT INTO release_summaries (package, version, summary) VALUES (?, ?, ?)"
                                + " ON CONFLICT (package, version) DO UPDATE SET summary ="
                                + " excluded.summary")
                .bind(0, pkg)
                .bind(1, version)
                .bind(2, summary)
                .execute();
    }

    @Override
    public byte[] summary(String pkg, String version) {
        return h.createQuery(
                        "SELECT summary FROM release_summaries WHERE package = ? AND version = ?")
                .bind(0, pkg)
                .bind(1, version)
                .mapTo(byte[].class)
                .findOne()
                .orElse(null);
    }

    @Override
    public int packagesPublishedBy(String user, Instant since) {
        return h.createQuery(
                        "SELECT COUNT(DISTINCT name) FROM versions WHERE publisher = ? AND"
                                + " published >= ?")
                .bind(0, user)
                .bind(1, millis(since))
                .mapTo(Integer.class)
                .one();
    }
}
