package dev.warden.storage.embedded;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.tests.DownloadsContract;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The downloads contract on SQLite: two stores over one file stand for two processes. */
class EmbeddedDownloadsTest extends DownloadsContract {

    @TempDir Path dir;
    private final AtomicInteger databases = new AtomicInteger();

    @Override
    protected Supplier<MetadataStore> newDatabase() {
        Path file = dir.resolve("db-" + databases.incrementAndGet() + ".db");
        return () -> SqliteMetadataStore.open(file);
    }
}
