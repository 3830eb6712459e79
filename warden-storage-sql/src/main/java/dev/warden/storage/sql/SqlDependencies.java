package dev.warden.storage.sql;

import dev.warden.storage.Dependencies;

import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.List;

/** {@link Dependencies} over the transaction's handle. */
final class SqlDependencies implements Dependencies {

    private final Handle h;

    SqlDependencies(Handle h) {
        this.h = h;
    }

    @Override
    public void put(String name, String version, Collection<String> dependsOn) {
        for (String target : dependsOn) {
            h.createUpdate(
                            "INSERT INTO dependencies (name, version, depends_on) VALUES (?, ?, ?)"
                                    + " ON CONFLICT DO NOTHING")
                    .bind(0, name)
                    .bind(1, version)
                    .bind(2, target)
                    .execute();
        }
    }

    @Override
    public void removeVersion(String name, String version) {
        h.createUpdate("DELETE FROM dependencies WHERE name = ? AND version = ?")
                .bind(0, name)
                .bind(1, version)
                .execute();
    }

    @Override
    public int dependentCount(String name) {
        return h.createQuery(
                        "SELECT COUNT(DISTINCT name) FROM dependencies WHERE depends_on = ? AND"
                                + " name <> ?")
                .bind(0, name)
                .bind(1, name)
                .mapTo(Integer.class)
                .one();
    }

    @Override
    public List<String> dependents(String name, int limit) {
        return h.createQuery(
                        "SELECT DISTINCT name FROM dependencies WHERE depends_on = ? AND name <> ?"
                                + " ORDER BY name LIMIT ?")
                .bind(0, name)
                .bind(1, name)
                .bind(2, limit)
                .mapTo(String.class)
                .list();
    }

    @Override
    public List<String> dependedUpon(int minDependents, int limit) {
        return h.createQuery(
                        "SELECT depends_on FROM dependencies WHERE name <> depends_on GROUP BY"
                                + " depends_on HAVING COUNT(DISTINCT name) >= ? ORDER BY"
                                + " COUNT(DISTINCT name) DESC, depends_on LIMIT ?")
                .bind(0, minDependents)
                .bind(1, limit)
                .mapTo(String.class)
                .list();
    }
}
