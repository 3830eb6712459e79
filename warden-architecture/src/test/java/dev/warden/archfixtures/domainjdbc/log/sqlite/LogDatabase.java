package dev.warden.archfixtures.domainjdbc.log.sqlite;

/** Allowed: the log's SQLite store is a driver, not the domain. */
public class LogDatabase {
    java.sql.Connection connection;
}
