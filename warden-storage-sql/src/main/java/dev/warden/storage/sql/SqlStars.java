package dev.warden.storage.sql;

import dev.warden.storage.Stars;

import org.jdbi.v3.core.Handle;

import java.util.List;

/** {@link Stars} over the transaction's handle. */
final class SqlStars implements Stars {

    private final Handle h;

    SqlStars(Handle h) {
        this.h = h;
    }

    @Override
    public List<String> of(String name) {
        return h.createQuery("SELECT user_name FROM stars WHERE name = ? ORDER BY user_name")
                .bind(0, name)
                .mapTo(String.class)
                .list();
    }

    @Override
    public List<String> starredBy(String user) {
        return h.createQuery("SELECT name FROM stars WHERE user_name = ? ORDER BY name")
                .bind(0, user)
                .mapTo(String.class)
                .list();
    }

    @Override
    public void add(String name, String user) {
        h.createUpdate("INSERT INTO stars (name, user_name) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .bind(0, name)
                .bind(1, user)
                .execute();
    }

    @Override
    public void remove(String name, String user) {
        h.createUpdate("DELETE FROM stars WHERE name = ? AND user_name = ?")
                .bind(0, name)
                .bind(1, user)
                .execute();
    }
}
