package dev.warden.archfixtures.drivers.storage.embedded;

/** The embedded driver of the drivers fixture. */
public class SqliteStore {}
