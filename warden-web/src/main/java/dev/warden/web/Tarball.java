package dev.warden.web;

import dev.warden.common.Problem;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One release's files, read from its gzipped tar within limits: at most {@link #MAX_ENTRIES}
 * entries and {@link #MAX_UNPACKED_BYTES} of files, the inflated stream itself capped (so skipping
 * a declared-huge entry or a bomb of padding costs bounded time). A file's text is kept only when
 * it is at most {@link #MAX_TEXT_BYTES} and text (no NUL in its first 8 KiB, valid UTF-8); every
 * file has its SHA-256, so unchanged files are known without their text. Paths lose their first
 * component ("package/"), as npm's unpacking does; an entry with nothing after it is skipped, as
 * npm skips it, and a repeated path keeps the last, as npm does.
 */
final class Tarball {

    static final int MAX_ENTRIES = 10_000;
    static final long MAX_UNPACKED_BYTES = 64L << 20;
    static final int MAX_TEXT_BYTES = 1 << 20;
    private static final int BINARY_PROBE = 8 << 10;
    // The files' bytes, plus room for each entry's header, padding and extended headers.
    private static final long MAX_INFLATED_BYTES = MAX_UNPACKED_BYTES + (32L << 20);

    /**
     * @param text the file's text when it is text within the limit, else null
     */
    record File(long size, byte[] sha256, boolean binary, boolean tooLarge, String text) {}

    private Tarball() {}

    /** {@code tgz}'s files by path, in path order; {@code side} names the tarball in refusals. */
    static Map<String, File> read(InputStream tgz, String side) {
        var files = new TreeMap<String, File>();
        int entries = 0;
        long unpacked = 0;
        try (var tar =
                new TarArchiveInputStream(
                        new BufferedInputStream(
                                new Capped(new GzipCompressorInputStream(tgz), MAX_INFLATED_BYTES),
                                1 << 16))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw refused(side, "has more than " + MAX_ENTRIES + " entries");
                }
                // Every entry's declared size counts: the reader inflates a link's or a
                // folder's data too, to skip it.
                unpacked += Math.max(0, entry.getSize());
                if (unpacked > MAX_UNPACKED_BYTES) {
                    throw refused(
                            side, "unpacks to more than " + (MAX_UNPACKED_BYTES >> 20) + " MiB");
                }
                if (!entry.isFile()) {
                    continue;
                }
                String path = withoutFirstComponent(entry.getName());
                File file = file(tar, entry.getSize());
                if (!path.isEmpty()) {
                    files.put(path, file);
                }
            }
        } catch (Capped.Reached e) {
            throw refused(side, "inflates past " + (MAX_INFLATED_BYTES >> 20) + " MiB");
        } catch (IOException | RuntimeException e) {
            if (e instanceof Problem p) {
                throw p;
            }
            throw refused(
                    side,
                    "is not a readable gzipped tar ("
                            + Problem.clip(String.valueOf(e.getMessage()))
                            + ")");
        }
        return files;
    }

    private static File file(InputStream tar, long size) throws IOException {
        MessageDigest sha256 = sha256();
        boolean tooLarge = size > MAX_TEXT_BYTES;
        byte[] kept = tooLarge ? null : tar.readNBytes((int) size);
        if (kept != null) {
            if (kept.length != size) {
                throw new IOException("a file ends before its declared size");
            }
            sha256.update(kept);
        } else {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = tar.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
            }
        }
        String text = kept == null ? null : text(kept);
        boolean binary = kept != null && text == null;
        return new File(size, sha256.digest(), binary, tooLarge, text);
    }

    /** {@code bytes} as UTF-8 text, or null when they are binary. */
    static String text(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, BINARY_PROBE); i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String withoutFirstComponent(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(slash + 1);
    }

    private static Problem refused(String side, String why) {
        return Problem.badRequest("the " + side + " tarball " + why);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Stops reading once a stream has given more than its cap. */
    private static final class Capped extends FilterInputStream {

        /** Thrown past the cap; an IOException so the tar reader passes it up as it is. */
        static final class Reached extends IOException {
            private static final long serialVersionUID = 1L;

            Reached() {
                super("past the cap", null);
            }
        }

        private final long cap;
        private long read;

        Capped(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > cap) {
                throw new Reached();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (read += n) > cap) {
                throw new Reached();
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipping inflates too: read, so the cap counts it.
            byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
            int got = read(buffer, 0, buffer.length);
            return Math.max(got, 0);
        }
    }
}
