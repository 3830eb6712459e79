package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.EmailVerifications;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/** {@link EmailVerifications} over the transaction's handle. */
final class SqlEmailVerifications implements EmailVerifications {

    private final Handle h;

    SqlEmailVerifications(Handle h) {
        this.h = h;
    }

    @Override
    public void put(String tokenHash, String user, String email, Instant expires) {
        h.createUpdate(
                        "INSERT INTO email_verifications (token_hash, user_name, email, expires)"
                                + " VALUES (?, ?, ?, ?)")
                .bind(0, tokenHash)
                .bind(1, user)
                .bind(2, email)
                .bind(3, millis(expires))
                .execute();
    }

    @Override
    public Optional<Pending> find(String tokenHash) {
        return h.createQuery("SELECT * FROM email_verifications WHERE token_hash = ?")
                .bind(0, tokenHash)
                .map(
                        (rs, ctx) ->
                                new Pending(
                                        rs.getString("user_name"),
                                        rs.getString("email"),
                                        instant(rs, "expires"),
                                        instant(rs, "verified")))
                .findOne();
    }

    @Override
    public void markVerified(String tokenHash, Instant at) {
        h.createUpdate("UPDATE email_verifications SET verified = ? WHERE token_hash = ?")
                .bind(0, millis(at))
                .bind(1, tokenHash)
                .execute();
    }

    @Override
    public boolean verified(String user, String email) {
        return h.createQuery(
                                "SELECT COUNT(*) FROM email_verifications WHERE user_name = ? AND"
                                        + " email = ? AND verified IS NOT NULL")
                        .bind(0, user)
                        .bind(1, email)
                        .mapTo(Long.class)
                        .one()
                > 0;
    }
}
