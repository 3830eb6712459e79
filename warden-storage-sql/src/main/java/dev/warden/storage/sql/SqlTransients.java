package dev.warden.storage.sql;

import dev.warden.storage.Transients;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/**
 * {@link Transients} over the transaction's handle. Expiries are epoch milliseconds, rounded up,
 * and compared with {@code now} rounded down, so a record is never dropped before its time.
 */
final class SqlTransients implements Transients {

    private final Handle h;

    SqlTransients(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<Transient> get(String kind, String key, Instant now) {
        return h.createQuery(
                        "SELECT value, owner, expires_at FROM transients WHERE kind = ? AND id = ?"
                                + " AND expires_at >= ?")
                .bind(0, kind)
                .bind(1, key)
                .bind(2, now.toEpochMilli())
                .map(
                        (rs, ctx) ->
                                new Transient(
                                        kind,
                                        key,
                                        rs.getString("value"),
                                        rs.getString("owner"),
                                        Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .findOne();
    }

    @Override
    public void put(Transient r) {
        h.createUpdate(
                        "INSERT INTO transients (kind, id, value, owner, expires_at) VALUES (?, ?,"
                                + " ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET value ="
                                + " excluded.value, owner = excluded.owner, expires_at ="
                                + " excluded.expires_at")
                .bind(0, r.kind())
                .bind(1, r.key())
                .bind(2, r.value())
                .bind(3, r.owner())
                .bind(4, roundedUp(r.expires()))
                .execute();
    }

    @Override
    public boolean insertIfAbsent(Transient r, Instant now) {
        return h.createUpdate(
                                "INSERT INTO transients (kind, id, value, owner, expires_at) VALUES"
                                        + " (?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET"
                                        + " value = excluded.value, owner = excluded.owner,"
                                        + " expires_at = excluded.expires_at WHERE"
                                        + " transients.expires_at < ?")
                        .bind(0, r.kind())
                        .bind(1, r.key())
                        .bind(2, r.value())
                        .bind(3, r.owner())
                        .bind(4, roundedUp(r.expires()))
                        .bind(5, now.toEpochMilli())
                        .execute()
                > 0;
    }

    @Override
    public boolean delete(String kind, String key, Instant now) {
        return h.createUpdate(
                                "DELETE FROM transients WHERE kind = ? AND id = ? AND expires_at"
                                        + " >= ?")
                        .bind(0, kind)
                        .bind(1, key)
                        .bind(2, now.toEpochMilli())
                        .execute()
                > 0;
    }

    @Override
    public int count(String kind, Instant now) {
        return h.createQuery("SELECT COUNT(*) FROM transients WHERE kind = ? AND expires_at >= ?")
                .bind(0, kind)
                .bind(1, now.toEpochMilli())
                .mapTo(Integer.class)
                .one();
    }

    @Override
    public int countOwned(String kind, String owner, Instant now) {
        return h.createQuery(
                        "SELECT COUNT(*) FROM transients WHERE kind = ? AND owner = ? AND"
                                + " expires_at >= ?")
                .bind(0, kind)
                .bind(1, owner)
                .bind(2, now.toEpochMilli())
                .mapTo(Integer.class)
                .one();
    }

    @Override
    public int purgeExpired(Instant now) {
        return h.createUpdate("DELETE FROM transients WHERE expires_at < ?")
                .bind(0, now.toEpochMilli())
                .execute();
    }

    private static long roundedUp(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }
}
