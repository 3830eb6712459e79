package dev.warden.server;

import dev.warden.log.LogStore;
import dev.warden.log.sqlite.SqliteLogStore;
import dev.warden.signing.SigningStack;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.embedded.EmbeddedStorage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place a storage driver is chosen ({@code storage.driver}) and opened. The server and the
 * admin commands ({@code warden user-add}, ...) both get the storage contracts from here, so a
 * second driver is a new case here and nothing else changes. The transparency logs' stores (the
 * registry's log, and the signing stack's CT and Rekor logs) are opened here too.
 */
public final class Stores {

    private Stores() {}

    /** The data directory, absolute, created if missing. */
    public static Path data(Config config) throws IOException {
        Path data = Path.of(config.storage().data()).toAbsolutePath();
        Files.createDirectories(data);
        return data;
    }

    public static MetadataStore metadata(Config config) throws IOException {
        embeddedOnly(config);
        return EmbeddedStorage.metadata(data(config).resolve("warden.db"));
    }

    public static BlobStore blobs(Config config) throws IOException {
        embeddedOnly(config);
        return EmbeddedStorage.blobs(data(config).resolve("blobs"));
    }

    /** The registry's transparency log: its own database beside the registry's. */
    static LogStore log(Path data) {
        return SqliteLogStore.open(data.resolve("log.db"));
    }

    /** The signing stack's certificate transparency and Rekor logs, each its own database. */
    static SigningStack.LogStores signingLogs(Path data) {
        return new SigningStack.LogStores(
                SqliteLogStore.open(data.resolve("ct.db")),
                SqliteLogStore.open(data.resolve("rekor.db")));
    }

    /**
     * Where the signing stack's CA keeps its intermediate keys ({@code signing.ca_key_store}), as
     * the server opens it.
     */
    public static dev.warden.signing.CaKeyStore caKeys(Config config) {
        return WardenServer.caKeyStore(
                config.signing(), Path.of(config.storage().data()).toAbsolutePath());
    }

    private static void embeddedOnly(Config config) {
        if (!config.storage().driver().equals("embedded")) {
            throw new IllegalArgumentException(
                    "unknown storage driver \""
                            + config.storage().driver()
                            + "\"; available: embedded");
        }
    }
}
