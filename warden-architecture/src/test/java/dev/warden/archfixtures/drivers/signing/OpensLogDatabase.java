package dev.warden.archfixtures.drivers.signing;

/** Breaks driversOnlyThroughTheirContracts: signing opens the log's SQLite store itself. */
public class OpensLogDatabase {
    dev.warden.archfixtures.drivers.log.sqlite.LogDatabase store;
}
