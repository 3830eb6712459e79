package dev.warden.storage.sql;

/**
 * The SQL databases the shared views run on. The views are written in SQL both accept; where they
 * differ (a JSON lookup, a case-insensitive match, notifying other nodes of a change), a view asks
 * its dialect.
 */
public enum SqlDialect {
    /** The embedded driver: one process, one database file. */
    SQLITE,
    /** The scale-out driver: several nodes on one database. */
    POSTGRES
}
