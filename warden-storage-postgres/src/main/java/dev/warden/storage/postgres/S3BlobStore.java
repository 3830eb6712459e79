package dev.warden.storage.postgres;

import dev.warden.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Blobs as objects {@code blobs/<sha512hex>} in the bucket. The key is the content's hash, so an
 * object of the same length under it is the same blob and a second put skips the upload; two nodes
 * putting the same blob at once both write the same bytes. A put returns once the server has
 * acknowledged the whole object, which for S3 means durable. A blob has no local path: the server
 * streams it.
 */
final class S3BlobStore implements BlobStore {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{128}");

    private final ObjectStore objects;

    S3BlobStore(ObjectStore objects) {
        this.objects = objects;
    }

    static String objectKey(String sha512Hex) {
        if (sha512Hex == null || !KEY.matcher(sha512Hex).matches()) {
            throw new IllegalArgumentException("not a sha512 hex key");
        }
        return "blobs/" + sha512Hex;
    }

    @Override
    public void put(String sha512Hex, byte[] data) throws IOException {
        String key = objectKey(sha512Hex);
        OptionalLong stored = objects.size(key);
        if (stored.isPresent() && stored.getAsLong() == data.length) {
            return;
        }
        objects.put(key, data);
    }

    @Override
    public Optional<Blob> get(String sha512Hex) throws IOException {
        String key = objectKey(sha512Hex);
        OptionalLong size = objects.size(key);
        if (size.isEmpty()) {
            return Optional.empty();
        }
        long length = size.getAsLong();
        return Optional.of(
                new Blob() {
                    @Override
                    public long size() {
                        return length;
                    }

                    @Override
                    public InputStream open() throws IOException {
                        return objects
                                .open(key)
                                .orElseThrow(
                                        () ->
                                                new IOException(
                                                        "blob "
                                                                + key
                                                                + " vanished from the bucket"))
                                .stream();
                    }

                    @Override
                    public Optional<Path> localPath() {
                        return Optional.empty();
                    }
                });
    }
}
