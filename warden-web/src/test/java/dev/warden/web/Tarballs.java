package dev.warden.web;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Gzipped tarballs built in memory, as npm packs them (every path under "package/"). */
final class Tarballs {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    Tarballs() {
        try {
            tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tarballs file(String path, String text) {
        return file(path, text.getBytes(StandardCharsets.UTF_8));
    }

    Tarballs file(String path, byte[] content) {
        return entry(new TarArchiveEntry("package/" + path), content);
    }

    /** An entry with its name as given (no "package/" added). */
    Tarballs entry(TarArchiveEntry entry, byte[] content) {
        try {
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Zeros, written in blocks so a large file needs no large array. */
    Tarballs zeros(String path, long size) {
        try {
            var entry = new TarArchiveEntry("package/" + path);
            entry.setSize(size);
            tar.putArchiveEntry(entry);
            byte[] block = new byte[1 << 20];
            for (long left = size; left > 0; left -= block.length) {
                tar.write(block, 0, (int) Math.min(left, block.length));
            }
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TarArchiveOutputStream tar() {
        return tar;
    }

    byte[] bytes() {
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    InputStream stream() {
        return new ByteArrayInputStream(bytes());
    }
}
