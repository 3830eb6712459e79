package dev.warden.archfixtures.governancelayers.storage.embedded;

/** The storage driver of the governancelayers fixture. */
public class SqliteStore {}
