package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.Invites;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/** {@link Invites} over the transaction's handle. */
final class SqlInvites implements Invites {

    private final Handle h;

    SqlInvites(Handle h) {
        this.h = h;
    }

    @Override
    public void put(String user, String email, Instant at) {
        h.createUpdate(
                        "INSERT INTO invites (user_name, email, created) VALUES (?, ?, ?) ON"
                            + " CONFLICT (user_name) DO UPDATE SET email = excluded.email, created"
                            + " = excluded.created")
                .bind(0, user)
                .bind(1, email)
                .bind(2, millis(at))
                .execute();
    }

    @Override
    public Optional<String> emailFor(String user) {
        return h.createQuery("SELECT email FROM invites WHERE user_name = ?")
                .bind(0, user)
                .mapTo(String.class)
                .findOne();
    }

    @Override
    public void delete(String user) {
        h.createUpdate("DELETE FROM invites WHERE user_name = ?").bind(0, user).execute();
    }
}
