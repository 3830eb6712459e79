package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.Maintainers;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link Maintainers} over the transaction's handle. */
final class SqlMaintainers implements Maintainers {

    private final Handle h;

    SqlMaintainers(Handle h) {
        this.h = h;
    }

    @Override
    public List<String> of(String name) {
        return h.createQuery("SELECT user_name FROM maintainers WHERE name = ? ORDER BY seq")
                .bind(0, name)
                .mapTo(String.class)
                .list();
    }

    @Override
    public List<String> packagesOf(String user) {
        return h.createQuery(
                        """
                        SELECT m.name FROM maintainers m JOIN packages p ON p.name = m.name
                        WHERE m.user_name = ? AND p.unpublished IS NULL ORDER BY m.name\
                        """)
                .bind(0, user)
                .mapTo(String.class)
                .list();
    }

    @Override
    public void add(String name, String user, Instant at) {
        h.createUpdate(
                        """
                        INSERT INTO maintainers (name, user_name, seq, added)
                        SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ? FROM maintainers WHERE name = ?
                        ON CONFLICT (name, user_name) DO NOTHING\
                        """)
                .bind(0, name)
                .bind(1, user)
                .bind(2, millis(at))
                .bind(3, name)
                .execute();
    }

    @Override
    public Optional<Instant> addedAt(String name, String user) {
        return h.createQuery("SELECT added FROM maintainers WHERE name = ? AND user_name = ?")
                .bind(0, name)
                .bind(1, user)
                .mapTo(Long.class)
                .findOne()
                .map(Instant::ofEpochMilli);
    }

    @Override
    public void remove(String name, String user) {
        h.createUpdate("DELETE FROM maintainers WHERE name = ? AND user_name = ?")
                .bind(0, name)
                .bind(1, user)
                .execute();
    }

    @Override
    public void removeAll(String name) {
        h.createUpdate("DELETE FROM maintainers WHERE name = ?").bind(0, name).execute();
    }
}
