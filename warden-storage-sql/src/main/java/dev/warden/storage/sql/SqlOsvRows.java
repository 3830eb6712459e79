package dev.warden.storage.sql;

import dev.warden.storage.OsvRows;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link OsvRows} over the transaction's handle. */
final class SqlOsvRows implements OsvRows {

    /** {@code PREFIX-YEAR-NUMBER}; ids of another shape are stored with number 0 of year 0. */
    private static final Pattern NUMBERED = Pattern.compile("(.+)-(\\d{4})-(\\d{1,9})");

    private final Handle h;

    SqlOsvRows(Handle h) {
        this.h = h;
    }

    @Override
    public void put(Row row, Collection<String> packages) {
        Matcher m = NUMBERED.matcher(row.id());
        boolean numbered = m.matches();
        h.createUpdate(
                        "INSERT INTO osv_records (id, prefix, year, number, json, modified,"
                                + " withdrawn) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO"
                                + " UPDATE SET json = excluded.json, modified = excluded.modified,"
                                + " withdrawn = excluded.withdrawn")
                .bind(0, row.id())
                .bind(1, numbered ? m.group(1) : row.id())
                .bind(2, numbered ? Integer.parseInt(m.group(2)) : 0)
                .bind(3, numbered ? Integer.parseInt(m.group(3)) : 0)
                .bind(4, row.json())
                .bind(5, row.modified().toEpochMilli())
                .bind(6, row.withdrawn() ? 1 : 0)
                .execute();
        h.createUpdate("DELETE FROM osv_affected WHERE id = ?").bind(0, row.id()).execute();
        for (String p : packages) {
            h.createUpdate(
                            "INSERT INTO osv_affected (id, package) VALUES (?, ?) ON CONFLICT DO"
                                    + " NOTHING")
                    .bind(0, row.id())
                    .bind(1, p)
                    .execute();
        }
    }

    @Override
    public Optional<Row> get(String id) {
        return h.createQuery("SELECT id, json, modified, withdrawn FROM osv_records WHERE id = ?")
                .bind(0, id)
                .map((rs, ctx) -> row(rs))
                .findOne();
    }

    @Override
    public List<Row> affecting(String packageName) {
        return h.createQuery(
                        "SELECT r.id, r.json, r.modified, r.withdrawn FROM osv_affected a JOIN"
                                + " osv_records r ON r.id = a.id WHERE a.package = ? AND"
                                + " r.withdrawn = 0 ORDER BY r.id")
                .bind(0, packageName)
                .map((rs, ctx) -> row(rs))
                .list();
    }

    @Override
    public List<Row> page(String afterId, int limit) {
        return h.createQuery(
                        "SELECT id, json, modified, withdrawn FROM osv_records WHERE id > ? ORDER"
                                + " BY id LIMIT ?")
                .bind(0, afterId == null ? "" : afterId)
                .bind(1, limit)
                .map((rs, ctx) -> row(rs))
                .list();
    }

    @Override
    public int lastNumber(String prefix, int year) {
        return h.createQuery(
                        "SELECT COALESCE(MAX(number), 0) FROM osv_records WHERE prefix = ? AND"
                                + " year = ?")
                .bind(0, prefix)
                .bind(1, year)
                .mapTo(Integer.class)
                .one();
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getString(1),
                rs.getBytes(2),
                Instant.ofEpochMilli(rs.getLong(3)),
                rs.getInt(4) != 0);
    }
}
