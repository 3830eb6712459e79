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
    POSTGRES;

    /**
     * An expression for the text member {@code member} (a literal name) of the JSON object in
     * {@code column}, NULL when the column's text is not JSON: SQLite's JSON functions, or the
     * function the PostgreSQL schema defines for it (a cast of invalid JSON would fail the query).
     */
    String jsonMember(String column, String member) {
        return switch (this) {
            case SQLITE ->
                    "CASE WHEN json_valid("
                            + column
                            + ") THEN json_extract("
                            + column
                            + ", '$."
                            + member
                            + "') END";
            case POSTGRES -> "warden_json_member(" + column + ", '" + member + "')";
        };
    }

    /**
     * LIKE as SQLite has it: ASCII letters match either case (PostgreSQL's LIKE is exact; its ILIKE
     * folds case).
     */
    String like() {
        return this == POSTGRES ? "ILIKE" : "LIKE";
    }
}
