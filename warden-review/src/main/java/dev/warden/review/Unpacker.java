package dev.warden.review;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a release's gzip+tar tarball once, within {@link ReviewSettings}: what is over a limit is
 * left unread and named in {@link Unpacked#limits()}, and whatever was read before a corrupt or
 * truncated stream is kept. The inflated stream itself is capped (twice the unpacked limit), so
 * skipping over a huge entry cannot take unbounded time either.
 */
final class Unpacker {

    private final ReviewSettings settings;

    Unpacker(ReviewSettings settings) {
        this.settings = settings;
    }

    Unpacked unpack(byte[] tarball, String which) {
        if (tarball == null || tarball.length == 0) {
            return new Unpacked(
                    Map.of(), List.of(), 0, -1, List.of(which + ": no tarball to read"));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> truncated = new ArrayList<>();
        Map<String, Integer> reached = new TreeMap<>();
        long declaredBytes = 0;
        int declaredFiles = 0;
        long read = 0;
        boolean complete = false;
        Capped capped = null;
        try (InputStream gz = new GzipCompressorInputStream(new ByteArrayInputStream(tarball))) {
            capped = new Capped(gz, Math.max(settings.maxUnpackedBytes(), 1L << 20) * 2);
            // The tar reader asks for 512-byte records: inflate in large blocks underneath.
            try (TarArchiveInputStream tar =
                    new TarArchiveInputStream(new BufferedInputStream(capped, 1 << 16))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (!entry.isFile()) {
                        continue;
                    }
                    declaredFiles++;
                    declaredBytes += Math.max(0, entry.getSize());
                    String path = withoutTopFolder(entry.getName());
                    if (files.size() >= settings.maxFiles()) {
                        count(reached, "more than " + settings.maxFiles() + " files (max files)");
                        continue;
                    }
                    if (path.length() > settings.maxPathLength()) {
                        count(
                                reached,
                                "a path longer than "
                                        + settings.maxPathLength()
                                        + " characters (max path length)");
                        continue;
                    }
                    if (depth(path) > settings.maxDepth()) {
                        count(
                                reached,
                                "a file nested deeper than "
                                        + settings.maxDepth()
                                        + " folders (max depth)");
                        continue;
                    }
                    long left = settings.maxUnpackedBytes() - read;
                    if (left <= 0) {
                        count(
                                reached,
                                "more than "
                                        + settings.maxUnpackedBytes()
                                        + " unpacked bytes (max unpacked bytes)");
                        continue;
                    }
                    long want = Math.min(entry.getSize(), settings.maxFileBytes());
                    boolean cut = entry.getSize() > want;
                    if (want > left) {
                        want = left;
                        cut = true;
                        count(
                                reached,
                                "more than "
                                        + settings.maxUnpackedBytes()
                                        + " unpacked bytes (max unpacked bytes)");
                    } else if (cut) {
                        count(
                                reached,
                                "a file over "
                                        + settings.maxFileBytes()
                                        + " bytes, read in part (max file bytes)");
                    }
                    byte[] bytes = tar.readNBytes((int) want);
                    read += bytes.length;
                    if (cut) {
                        truncated.add(path);
                    }
                    // A repeated path: npm keeps the last one, so does the review.
                    files.put(path, bytes);
                }
                complete = true;
            }
        } catch (Capped.Reached e) {
            count(
                    reached,
                    "a tarball inflating past "
                            + (capped == null ? 0 : capped.cap)
                            + " bytes, read in part (max unpacked bytes)");
        } catch (IOException | RuntimeException e) {
            count(reached, "an unreadable tarball (" + describe(e) + "), read in part");
        }
        List<String> limits = new ArrayList<>();
        for (Map.Entry<String, Integer> r : reached.entrySet()) {
            limits.add(
                    which
                            + ": "
                            + r.getKey()
                            + (r.getValue() > 1 ? " x" + r.getValue() : "")
                            + "; read "
                            + files.size()
                            + " files");
        }
        return new Unpacked(files, truncated, declaredBytes, complete ? declaredFiles : -1, limits);
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + Excerpts.escape(m, 80));
    }

    private static void count(Map<String, Integer> reached, String limit) {
        reached.merge(limit, 1, Integer::sum);
    }

    /**
     * npm packs everything under one top folder ({@code package/}); the review names paths without
     * it.
     */
    static String withoutTopFolder(String name) {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        int slash = n.indexOf('/');
        return slash < 0 ? n : n.substring(slash + 1);
    }

    private static int depth(String path) {
        int d = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                d++;
            }
        }
        return d;
    }

    /** Stops the inflater past a cap, so a gzip bomb costs bounded time. */
    private static final class Capped extends FilterInputStream {
        final long cap;
        private long seen;

        Capped(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            add(s);
            return s;
        }

        private void add(long n) {
            seen += n;
            if (seen > cap) {
                throw new Reached();
            }
        }

        static final class Reached extends RuntimeException {
            Reached() {
                super("inflated past the cap", null, false, false);
            }
        }
    }
}
