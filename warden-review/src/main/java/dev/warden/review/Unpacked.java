package dev.warden.review;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The files of one release as far as the limits let them be read.
 *
 * @param files each file's bytes by its path inside the package (the tarball's top folder taken
 *     off), in tarball order; a file over the per-file limit holds its first bytes only
 * @param truncated the paths whose bytes were cut at the per-file limit
 * @param declaredBytes the size of every file the tarball declared, read or not
 * @param declaredFiles how many files the tarball declared, read or not (-1 when it could not be
 *     read to its end)
 * @param limits what could not be read and why, one line per limit reached
 */
record Unpacked(
        Map<String, byte[]> files,
        List<String> truncated,
        long declaredBytes,
        int declaredFiles,
        List<String> limits) {

    static final Unpacked EMPTY = new Unpacked(Map.of(), List.of(), 0, 0, List.of());

    Unpacked {
        files = Collections.unmodifiableMap(files);
        truncated = List.copyOf(truncated);
        limits = List.copyOf(limits);
    }

    long readBytes() {
        long n = 0;
        for (byte[] b : files.values()) {
            n += b.length;
        }
        return n;
    }
}
