package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.Scopes;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/** {@link Scopes} over the transaction's handle. */
final class SqlScopes implements Scopes {

    private final Handle h;

    SqlScopes(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<String> owner(String scope) {
        return h.createQuery("SELECT owner FROM scopes WHERE scope = ?")
                .bind(0, scope)
                .mapTo(String.class)
                .findOne();
    }

    @Override
    public void claim(String scope, String owner, Instant at) {
        h.createUpdate(
                        "INSERT INTO scopes (scope, owner, created) VALUES (?, ?, ?) ON CONFLICT DO"
                                + " NOTHING")
                .bind(0, scope)
                .bind(1, owner)
                .bind(2, millis(at))
                .execute();
    }
}
