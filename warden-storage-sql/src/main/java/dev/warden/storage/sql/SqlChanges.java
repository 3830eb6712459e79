package dev.warden.storage.sql;

import org.jdbi.v3.core.Handle;

/**
 * Announces a change to other nodes, inside the writing transaction: on PostgreSQL a {@code
 * pg_notify} on {@value #CHANNEL}, which the server delivers at commit and drops on rollback, so a
 * change is announced exactly when it becomes visible. SQLite has one node and announces nothing.
 */
final class SqlChanges {

    /** The channel the postgres driver's change feed listens on. */
    static final String CHANNEL = "warden_changes";

    private final Handle h;
    private final SqlDialect dialect;

    SqlChanges(Handle h, SqlDialect dialect) {
        this.h = h;
        this.dialect = dialect;
    }

    /** {@code topic} (a {@link dev.warden.storage.ChangeFeed} topic) changed for {@code key}. */
    void changed(String topic, String key) {
        if (dialect != SqlDialect.POSTGRES) {
            return;
        }
        // the payload is "<topic> <key>"; PostgreSQL folds identical ones of one transaction
        h.createQuery("SELECT 1 FROM (SELECT pg_notify('" + CHANNEL + "', ?)) n")
                .bind(0, topic + " " + key)
                .mapTo(Integer.class)
                .one();
    }
}
