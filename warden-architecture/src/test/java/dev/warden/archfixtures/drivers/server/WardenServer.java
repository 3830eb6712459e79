package dev.warden.archfixtures.drivers.server;

/** Allowed: the composition root picks the drivers, in its nested classes too. */
public class WardenServer {
    dev.warden.archfixtures.drivers.storage.embedded.SqliteStore store;

    static class Parts {
        dev.warden.archfixtures.drivers.log.sqlite.LogDatabase log;
    }
}
