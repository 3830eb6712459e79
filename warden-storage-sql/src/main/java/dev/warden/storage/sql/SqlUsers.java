package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.Users;
import dev.warden.storage.Users.UserRecord;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** {@link Users} over the transaction's handle. */
final class SqlUsers implements Users {

    private final Handle h;

    SqlUsers(Handle h) {
        this.h = h;
    }

    private UserRecord map(ResultSet rs) throws SQLException {
        return new UserRecord(
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("password_hash"),
                instant(rs, "created"),
                rs.getInt("admin") != 0);
    }

    @Override
    public Optional<UserRecord> find(String name) {
        return h.createQuery("SELECT * FROM users WHERE name = ?")
                .bind(0, name)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    @Override
    public void insert(UserRecord u) {
        h.createUpdate(
                        "INSERT INTO users (name, email, password_hash, created, admin) VALUES (?,"
                                + " ?, ?, ?, ?)")
                .bind(0, u.name())
                .bind(1, u.email())
                .bind(2, u.passwordHash())
                .bind(3, millis(u.created()))
                .bind(4, u.admin() ? 1 : 0)
                .execute();
    }

    @Override
    public void update(UserRecord u) {
        h.createUpdate("UPDATE users SET email = ?, password_hash = ?, admin = ? WHERE name = ?")
                .bind(0, u.email())
                .bind(1, u.passwordHash())
                .bind(2, u.admin() ? 1 : 0)
                .bind(3, u.name())
                .execute();
    }

    @Override
    public long count() {
        return h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one();
    }
}
