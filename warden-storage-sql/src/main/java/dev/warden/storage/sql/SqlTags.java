package dev.warden.storage.sql;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.Tags;

import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@link Tags} over the transaction's handle. */
final class SqlTags implements Tags {

    private final Handle h;
    private final SqlChanges changes;

    SqlTags(Handle h, SqlDialect dialect) {
        this.h = h;
        this.changes = new SqlChanges(h, dialect);
    }

    @Override
    public Map<String, String> of(String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        h.createQuery("SELECT tag, version FROM dist_tags WHERE name = ? ORDER BY tag")
                .bind(0, name)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> tags.put(e.getKey(), e.getValue()));
        return tags;
    }

    @Override
    public void put(String name, String tag, String version) {
        h.createUpdate(
                        "INSERT INTO dist_tags (name, tag, version) VALUES (?, ?, ?) ON CONFLICT"
                                + " (name, tag) DO UPDATE SET version = excluded.version")
                .bind(0, name)
                .bind(1, tag)
                .bind(2, version)
                .execute();
        changes.changed(ChangeFeed.PACKAGE, name);
    }

    @Override
    public void remove(String name, String tag) {
        h.createUpdate("DELETE FROM dist_tags WHERE name = ? AND tag = ?")
                .bind(0, name)
                .bind(1, tag)
                .execute();
        changes.changed(ChangeFeed.PACKAGE, name);
    }

    @Override
    public void removeAll(String name) {
        h.createUpdate("DELETE FROM dist_tags WHERE name = ?").bind(0, name).execute();
        changes.changed(ChangeFeed.PACKAGE, name);
    }
}
