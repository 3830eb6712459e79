package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.Passkeys;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link Passkeys} over the transaction's handle. */
final class SqlPasskeys implements Passkeys {

    private final Handle h;

    SqlPasskeys(Handle h) {
        this.h = h;
    }

    private Credential map(ResultSet rs) throws SQLException {
        return new Credential(
                rs.getString("credential_id"),
                rs.getString("user_name"),
                rs.getString("public_key"),
                rs.getLong("sign_count"),
                rs.getString("nickname"),
                instant(rs, "created"));
    }

    @Override
    public Optional<String> handleOf(String user) {
        return h.createQuery("SELECT handle FROM passkey_users WHERE user_name = ?")
                .bind(0, user)
                .mapTo(String.class)
                .findOne();
    }

    @Override
    public Optional<String> userOfHandle(String handle) {
        return h.createQuery("SELECT user_name FROM passkey_users WHERE handle = ?")
                .bind(0, handle)
                .mapTo(String.class)
                .findOne();
    }

    @Override
    public void putHandle(String user, String handle) {
        h.createUpdate("INSERT INTO passkey_users (user_name, handle) VALUES (?, ?)")
                .bind(0, user)
                .bind(1, handle)
                .execute();
    }

    @Override
    public List<Credential> of(String user) {
        return h.createQuery("SELECT * FROM passkeys WHERE user_name = ? ORDER BY created")
                .bind(0, user)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    @Override
    public Optional<Credential> find(String credentialId) {
        return h.createQuery("SELECT * FROM passkeys WHERE credential_id = ?")
                .bind(0, credentialId)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    @Override
    public void insert(Credential c) {
        h.createUpdate(
                        "INSERT INTO passkeys (credential_id, user_name, public_key, sign_count,"
                                + " nickname, created) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, c.credentialId())
                .bind(1, c.user())
                .bind(2, c.publicKey())
                .bind(3, c.signCount())
                .bind(4, c.nickname())
                .bind(5, millis(c.created()))
                .execute();
    }

    @Override
    public boolean delete(String credentialId, String user) {
        return h.createUpdate("DELETE FROM passkeys WHERE credential_id = ? AND user_name = ?")
                        .bind(0, credentialId)
                        .bind(1, user)
                        .execute()
                > 0;
    }

    @Override
    public void updateSignCount(String credentialId, long signCount) {
        h.createUpdate("UPDATE passkeys SET sign_count = ? WHERE credential_id = ?")
                .bind(0, signCount)
                .bind(1, credentialId)
                .execute();
    }
}
