package dev.warden.archfixtures.drivers.server;

/** Breaks driversOnlyThroughTheirContracts: the server outside its composition root. */
public class Routes {
    dev.warden.archfixtures.drivers.storage.embedded.SqliteStore store;
}
