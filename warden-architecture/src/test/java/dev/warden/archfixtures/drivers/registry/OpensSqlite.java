package dev.warden.archfixtures.drivers.registry;

/** Breaks driversOnlyThroughTheirContracts: the registry opens the embedded driver itself. */
public class OpensSqlite {
    dev.warden.archfixtures.drivers.storage.embedded.SqliteStore store;
}
