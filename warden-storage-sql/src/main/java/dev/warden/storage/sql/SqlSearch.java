package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.escapeLike;

import dev.warden.storage.Search;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.util.List;

/** {@link Search} over the transaction's handle. */
final class SqlSearch implements Search {

    private final Handle h;

    SqlSearch(Handle h) {
        this.h = h;
    }

    @Override
    public void put(String name, String text, String summaryJson) {
        h.createUpdate(
                        "INSERT INTO search_docs (name, text, summary) VALUES (?, ?, ?) ON CONFLICT"
                                + " (name) DO UPDATE SET text = excluded.text, summary ="
                                + " excluded.summary")
                .bind(0, name)
                .bind(1, text.toLowerCase(java.util.Locale.ROOT))
                .bind(2, summaryJson)
                .execute();
    }

    @Override
    public void remove(String name) {
        h.createUpdate("DELETE FROM search_docs WHERE name = ?").bind(0, name).execute();
    }

    @Override
    public List<Hit> find(List<String> terms, int limit) {
        StringBuilder sql = new StringBuilder("SELECT name, summary FROM search_docs WHERE 1 = 1");
        for (int i = 0; i < terms.size(); i++) {
            sql.append(" AND text LIKE ? ESCAPE '!'");
        }
        sql.append(" ORDER BY name LIMIT ?");
        Query q = h.createQuery(sql.toString());
        int i = 0;
        for (String term : terms) {
            q.bind(i++, "%" + escapeLike(term.toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        q.bind(i, limit);
        return q.map((rs, ctx) -> new Hit(rs.getString(1), rs.getString(2))).list();
    }
}
