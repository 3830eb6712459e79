package dev.warden.archfixtures.postgreslayers.storage.sql;

/** The shared SQL views of the postgreslayers fixture. */
public class SqlTx {}
