package dev.warden.storage.embedded;

import dev.warden.storage.BlobStore;
import dev.warden.storage.tests.BlobStoreContract;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The blob store contract on files. */
class FileBlobStoreContractTest extends BlobStoreContract {

    @TempDir Path dir;

    @Override
    protected BlobStore newStore() throws Exception {
        return new FileBlobStore(dir.resolve("blobs"));
    }
}
