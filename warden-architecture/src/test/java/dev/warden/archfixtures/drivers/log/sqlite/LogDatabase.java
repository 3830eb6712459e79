package dev.warden.archfixtures.drivers.log.sqlite;

/** The log's SQLite store of the drivers fixture. */
public class LogDatabase {}
