package dev.warden.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Read-only memory maps of tarball files, kept open for the most requested blobs. A tarball is then
 * sent from the page cache to the socket without a file open, a read or a copy into the Java heap
 * per request. Files larger than {@code maxFileBytes} are streamed instead.
 */
final class TarballBuffers {

    private final Cache<String, ByteBuffer> maps;
    private final long maxFileBytes;

    TarballBuffers(long totalBytes, long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
        this.maps =
                Caffeine.newBuilder()
                        .maximumWeight(totalBytes)
                        .weigher((String k, ByteBuffer b) -> b.capacity() + 64)
                        .build();
    }

    /** The mapped buffer for a cached blob, or null. */
    ByteBuffer cached(String key) {
        return maps.getIfPresent(key);
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
