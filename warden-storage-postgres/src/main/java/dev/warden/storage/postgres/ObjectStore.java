package dev.warden.storage.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Objects in the S3-compatible bucket (under the configured prefix), through the AWS SDK v2: what
 * the blob store and the logs' shared store keep there. A put returns once the server has
 * acknowledged the whole object.
 */
public interface ObjectStore {

    void put(String key, byte[] data) throws IOException;

    /** The object's bytes, if it exists. */
    Optional<byte[]> get(String key) throws IOException;

    /** A stream of the object, if it exists, with its length. */
    Optional<Sized> open(String key) throws IOException;

    /** The object's length, if it exists (a HEAD: no bytes are read). */
    OptionalLong size(String key) throws IOException;

    boolean exists(String key) throws IOException;

    void delete(String key) throws IOException;

    /** An object's stream and length. */
    record Sized(long size, InputStream stream) {}
}
