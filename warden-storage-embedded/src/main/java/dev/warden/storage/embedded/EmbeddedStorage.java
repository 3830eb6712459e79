package dev.warden.storage.embedded;

import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The embedded driver's only public type: it opens the stores and hands them out as the {@code
 * warden-storage} contracts, so nothing outside the driver depends on how it stores.
 */
public final class EmbeddedStorage {

    private EmbeddedStorage() {}

    /** Opens (creating and migrating if needed) the SQLite metadata database at {@code file}. */
    public static MetadataStore metadata(Path file) {
        return SqliteMetadataStore.open(file);
    }

    /** The blob directory at {@code root}, created if missing. */
    public static BlobStore blobs(Path root) throws IOException {
        return new FileBlobStore(root);
    }

    /**
     * The key of every blob in the blob directory at {@code root}, for {@code warden storage copy};
     * close the stream.
     */
    public static java.util.stream.Stream<String> blobKeys(Path root) throws IOException {
        return FileBlobStore.keys(root);
    }
}
