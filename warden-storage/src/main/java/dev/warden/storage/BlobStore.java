package dev.warden.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Content-addressed storage for tarballs, keyed by the lower-case hex sha512 of the bytes.
 *
 * <p>{@link #put} returns only once the bytes are durable: a caller may then commit metadata that
 * refers to the blob, and a crash between the two leaves at most an unreferenced blob, never a
 * reference to missing bytes.
 */
public interface BlobStore {

    /** Stores {@code data}, whose sha512 the caller has computed; idempotent for the same key. */
    void put(String sha512Hex, byte[] data) throws IOException;

    /** The blob, if stored. */
    Optional<Blob> get(String sha512Hex) throws IOException;

    /**
     * A stored blob. Drivers backed by local files expose the path so it can be sent without
     * copying.
     */
    interface Blob {
        long size();

        InputStream open() throws IOException;

        /** The file holding the bytes, when the driver keeps them in the local file system. */
        Optional<Path> localPath();
    }
}
