package dev.warden.archfixtures.governancelayers.governance;

/** Breaks governanceUsesOnlyItsLayers: governance names a storage driver, not the contracts. */
public class OpensSqlite {
    dev.warden.archfixtures.governancelayers.storage.embedded.SqliteStore store;
}
