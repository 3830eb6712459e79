package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.Tokens;
import dev.warden.storage.Tokens.TokenRecord;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link Tokens} over the transaction's handle. */
final class SqlTokens implements Tokens {

    private final Handle h;

    SqlTokens(Handle h) {
        this.h = h;
    }

    private TokenRecord map(ResultSet rs) throws SQLException {
        String cidrs = rs.getString("cidrs");
        return new TokenRecord(
                rs.getString("token_key"),
                rs.getString("token_hash"),
                rs.getString("user_name"),
                rs.getInt("read_only") != 0,
                instant(rs, "created"),
                instant(rs, "expires"),
                cidrs.isEmpty() ? List.of() : Arrays.asList(cidrs.split(",")),
                instant(rs, "last_used"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("limits"),
                rs.getInt("bypass_2fa") != 0);
    }

    @Override
    public Optional<TokenRecord> findByHash(String hash) {
        return h.createQuery("SELECT * FROM tokens WHERE token_hash = ?")
                .bind(0, hash)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    @Override
    public List<TokenRecord> of(String user) {
        return h.createQuery("SELECT * FROM tokens WHERE user_name = ? ORDER BY created")
                .bind(0, user)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    @Override
    public void insert(TokenRecord t) {
        h.createUpdate(
                        """
                        INSERT INTO tokens (token_hash, token_key, user_name, read_only, created, expires, cidrs, last_used,
                            name, description, limits, bypass_2fa)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)\
                        """)
                .bind(0, t.hash())
                .bind(1, t.key())
                .bind(2, t.user())
                .bind(3, t.readOnly() ? 1 : 0)
                .bind(4, millis(t.created()))
                .bind(5, millis(t.expires()))
                .bind(6, String.join(",", t.cidrs()))
                .bind(7, millis(t.lastUsed()))
                .bind(8, t.name())
                .bind(9, t.description())
                .bind(10, t.limits() == null ? "{}" : t.limits())
                .bind(11, t.bypass2fa() ? 1 : 0)
                .execute();
    }

    @Override
    public boolean delete(String hash) {
        return h.createUpdate("DELETE FROM tokens WHERE token_hash = ?").bind(0, hash).execute()
                > 0;
    }
}
