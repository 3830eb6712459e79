package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.TwoFactor;
import dev.warden.storage.TwoFactor.TfaRecord;

import org.jdbi.v3.core.Handle;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link TwoFactor} over the transaction's handle. */
final class SqlTwoFactor implements TwoFactor {

    private final Handle h;

    SqlTwoFactor(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<TfaRecord> find(String user) {
        return h.createQuery("SELECT * FROM two_factor WHERE user_name = ?")
                .bind(0, user)
                .map(
                        (rs, ctx) ->
                                new TfaRecord(
                                        rs.getString("user_name"),
                                        rs.getString("secret"),
                                        rs.getString("mode"),
                                        rs.getInt("pending") != 0,
                                        rs.getLong("last_step"),
                                        rs.getString("recovery").isEmpty()
                                                ? List.of()
                                                : Arrays.asList(
                                                        rs.getString("recovery").split(",")),
                                        instant(rs, "created")))
                .findOne();
    }

    @Override
    public void put(TfaRecord r) {
        h.createUpdate(
                        """
                        INSERT INTO two_factor (user_name, secret, mode, pending, last_step, recovery, created)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (user_name) DO UPDATE SET secret = excluded.secret, mode = excluded.mode,
                            pending = excluded.pending, last_step = excluded.last_step, recovery = excluded.recovery\
                        """)
                .bind(0, r.user())
                .bind(1, r.secret())
                .bind(2, r.mode())
                .bind(3, r.pending() ? 1 : 0)
                .bind(4, r.lastStep())
                .bind(5, String.join(",", r.recoveryHashes()))
                .bind(6, millis(r.created()))
                .execute();
    }

    @Override
    public void delete(String user) {
        h.createUpdate("DELETE FROM two_factor WHERE user_name = ?").bind(0, user).execute();
    }
}
