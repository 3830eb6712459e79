package dev.warden.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.warden.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Read-only memory maps of tarball files, kept open for the most requested blobs. A tarball is then
 * sent from the page cache to the socket without a file open, a read or a copy into the Java heap
 * per request. Files larger than {@code maxFileBytes} are streamed instead.
 *
 * <p>A blob store without local files (object storage) cannot be mapped: its small blobs are read
 * once into the heap and kept, within a smaller bound (an eighth of the heap at most), so a hot
 * tarball costs one round trip to the store, not one per request.
 */
final class TarballBuffers {

    private final Cache<String, ByteBuffer> maps;
    private final Cache<String, ByteBuffer> kept;
    private final long maxFileBytes;

    TarballBuffers(long totalBytes, long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
        this.maps =
                Caffeine.newBuilder()
                        .maximumWeight(totalBytes)
                        .weigher((String k, ByteBuffer b) -> b.capacity() + 64)
                        .build();
        this.kept =
                Caffeine.newBuilder()
                        .maximumWeight(Math.min(totalBytes, Runtime.getRuntime().maxMemory() / 8))
                        .weigher((String k, ByteBuffer b) -> b.capacity() + 64)
                        .build();
    }

    /** The mapped or kept buffer for a cached blob, or null. */
    ByteBuffer cached(String key) {
        ByteBuffer mapped = maps.getIfPresent(key);
        return mapped != null ? mapped : kept.getIfPresent(key);
    }

    /**
     * The bytes of a blob that has no local file, read once and kept, if it is small enough; null
     * for large blobs, which are streamed.
     */
    ByteBuffer keep(String key, BlobStore.Blob blob) {
        long size = blob.size();
        if (size > maxFileBytes || size == 0) {
            return null;
        }
        return kept.get(
                key,
                k -> {
                    try (InputStream in = blob.open()) {
                        return ByteBuffer.wrap(in.readAllBytes()).asReadOnlyBuffer();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Maps {@code path} (blob {@code key}) if it is small enough; null for large files. */
    ByteBuffer map(String key, Path path, long size) {
        if (size > maxFileBytes || size == 0) {
            return null;
        }
        return maps.get(
                key,
                k -> {
                    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                        return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
