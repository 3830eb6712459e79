package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.common.Problem;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a package tarball the way npm unpacks it (first path component stripped) and refuses what a
 * client must never unpack: paths with {@code ..} or absolute paths, links, device files, and
 * archives whose unpacked size, entry count or compression ratio mark them as bombs.
 *
 * <p>npm packs everything under one top folder ({@code package/}) and unpacks by stripping it,
 * whatever its name. A tarball whose entries sit under more than one top folder could show one
 * package.json to one reader and another to the next, so it is refused: the manifest is the {@code
 * package.json} of the first entry's top folder, for the publish checks, the served manifest and
 * the review alike ({@link #pathInPackage}).
 */
public final class TarballInspector {

    /** Limits on what a tarball may unpack to. */
    public record Limits(
            long maxUnpackedBytes,
            int maxEntries,
            long maxRatio,
            long ratioFloorBytes,
            int maxPackageJsonBytes) {
        public static Limits defaults() {
            return new Limits(512L << 20, 100_000, 200, 16L << 20, 1 << 20);
        }
    }

    /** What the tarball holds that matters to the registry. */
    public record Facts(
            JsonNode packageJson,
            int fileCount,
            long unpackedSize,
            boolean hasBindingGyp,
            boolean hasServerJs,
            boolean hasShrinkwrap) {}

    private final Limits limits;
    private final ObjectMapper json;

    public TarballInspector(Limits limits, ObjectMapper json) {
        this.limits = limits;
        this.json = json;
    }

    public Facts inspect(byte[] tarball) {
        if (tarball.length < 2 || (tarball[0] & 0xff) != 0x1f || (tarball[1] & 0xff) != 0x8b) {
            throw Problem.badRequest("tarball is not gzip data");
        }
        byte[] packageJson = null;
        int files = 0;
        int entries = 0;
        long unpacked = 0;
        boolean gyp = false;
        boolean server = false;
        boolean shrinkwrap = false;
        Set<String> seen = new HashSet<>();
        String top = null;
        Metered metered;
        try (InputStream gz =
                        metered =
                                new Metered(
                                        new GZIPInputStream(
                                                new ByteArrayInputStream(tarball), 64 * 1024),
                                        tarball.length);
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while (true) {
                // Headers (long names, PAX records) are read inside getNextEntry: allow them 1 MiB.
                metered.limit = metered.count + HEADER_BYTES;
                entry = tar.getNextEntry();
                metered.limit = Long.MAX_VALUE;
                if (entry == null) {
                    break;
                }
                if (++entries > limits.maxEntries()) {
                    throw Problem.badRequest(
                            "tarball has more than " + limits.maxEntries() + " entries");
                }
                String path = entry.getName();
                checkPath(path);
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw Problem.badRequest(
                            "tarball entry "
                                    + quote(path)
                                    + " is a link; packages may not contain links");
                }
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw Problem.badRequest(
                            "tarball entry " + quote(path) + " is a device or pipe");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                if (!entry.isFile()) {
                    throw Problem.badRequest(
                            "tarball entry " + quote(path) + " has an unsupported type");
                }
                String stripped = pathInPackage(path);
                if (stripped.isEmpty()) {
                    throw Problem.badRequest(
                            "tarball entry " + quote(path) + " is outside a package directory");
                }
                // the first file names the package folder; every other file must be in it too
                String folder = topFolder(path);
                if (top == null) {
                    top = folder;
                } else if (!top.equals(folder)) {
                    throw Problem.badRequest(
                            "tarball entry "
                                    + quote(path)
                                    + " is outside the package folder "
                                    + quote(top + "/")
                                    + ": a package tarball has one top folder");
                }
                String folded = folded(stripped);
                if (SPECIAL.contains(folded) && !SPECIAL.contains(stripped)) {
                    throw Problem.badRequest(
                            "tarball entry "
                                    + quote(path)
                                    + " differs from "
                                    + folded
                                    + " only in case or Unicode form: npm would read it as "
                                    + folded
                                    + " on some systems and not on others");
                }
                files++;
                boolean isPackageJson = stripped.equals("package.json");
                long size = 0;
                ByteArrayOutputStream keep = isPackageJson ? new ByteArrayOutputStream() : null;
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = tar.read(buf)) > 0) {
                    size += n;
                    unpacked += n;
                    checkSize(unpacked, tarball.length);
                    if (keep != null) {
                        if (keep.size() + n > limits.maxPackageJsonBytes()) {
                            throw Problem.badRequest(
                                    "package.json in the tarball is larger than "
                                            + limits.maxPackageJsonBytes()
                                            + " bytes");
                        }
                        keep.write(buf, 0, n);
                    }
                }
                if (!seen.add(folded)) {
                    throw Problem.badRequest(
                            "tarball entry "
                                    + quote(path)
                                    + " appears twice (or another differs from it only in case or"
                                    + " Unicode form, and would land on the same file on some"
                                    + " systems)");
                }
                if (isPackageJson) {
                    packageJson = keep.toByteArray();
                }
                gyp |= stripped.equals("binding.gyp");
                server |= stripped.equals("server.js");
                shrinkwrap |= stripped.equals("npm-shrinkwrap.json");
                if (size != entry.getSize()) {
                    throw Problem.badRequest("tarball entry " + quote(path) + " is truncated");
                }
            }
        } catch (ZipException e) {
            throw Problem.badRequest("tarball is not valid gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw Problem.badRequest("tarball is not a valid tar archive: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("tarball is not a valid tar archive: " + e.getMessage());
        }
        if (packageJson == null) {
            throw Problem.badRequest(
                    "tarball has no package.json in its package folder "
                            + (top == null ? "(the tarball is empty)" : quote(top + "/")));
        }
        JsonNode manifest;
        try {
            manifest = json.readTree(packageJson);
        } catch (IOException e) {
            throw Problem.badRequest("package.json in the tarball is not valid JSON");
        }
        if (manifest == null || !manifest.isObject()) {
            throw Problem.badRequest("package.json in the tarball is not a JSON object");
        }
        return new Facts(manifest, files, unpacked, gyp, server, shrinkwrap);
    }

    private static final long HEADER_BYTES = 1 << 20;

    /**
     * Counts every decompressed byte, headers and padding included, and enforces the size and ratio
     * limits on all of them, plus a temporary cap while entry headers are parsed.
     */
    private final class Metered extends java.io.FilterInputStream {
        long count;
        long limit = Long.MAX_VALUE;
        private final long compressed;

        Metered(InputStream in, long compressed) {
            super(in);
            this.compressed = compressed;
        }

        private void add(long n) {
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw Problem.badRequest(
                            "tarball entry headers are larger than " + HEADER_BYTES + " bytes");
                }
                checkSize(count, compressed);
            }
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
            add(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            add(skipped);
            return skipped;
        }
    }

    private void checkSize(long unpacked, long compressed) {
        if (unpacked > limits.maxUnpackedBytes()) {
            throw Problem.tooLarge(
                    "tarball unpacks to more than " + limits.maxUnpackedBytes() + " bytes");
        }
        if (unpacked > limits.ratioFloorBytes()
                && unpacked / Math.max(1, compressed) > limits.maxRatio()) {
            throw Problem.badRequest(
                    "tarball compression ratio exceeds "
                            + limits.maxRatio()
                            + ":1 (a decompression bomb?)");
        }
    }

    private static void checkPath(String path) {
        if (path.isEmpty()
                || path.startsWith("/")
                || path.startsWith("\\")
                || path.matches("^[A-Za-z]:.*")
                || path.indexOf('\0') >= 0) {
            throw Problem.badRequest("tarball entry " + quote(path) + " has an absolute path");
        }
        if (path.indexOf('\\') >= 0) {
            // one system's separator is another's file name character: npm would unpack it
            // differently on each
            throw Problem.badRequest(
                    "tarball entry " + quote(path) + " has a backslash in its path");
        }
        // a path is read as written: an empty or '.' segment would let two entries name one file
        String canonical = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String segment : canonical.split("/", -1)) {
            if (segment.equals("..")) {
                throw Problem.badRequest(
                        "tarball entry "
                                + quote(path)
                                + " escapes the package directory with '..'");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw Problem.badRequest(
                        "tarball entry " + quote(path) + " has an empty or '.' path segment");
            }
        }
    }

    /**
     * Where an entry lands when npm unpacks it: its path with the top folder ({@code package/})
     * stripped; empty for the folder itself.
     */
    static String pathInPackage(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? "" : path.substring(slash + 1);
    }

    /** The files whose presence decides what installing the package runs or reads. */
    private static final Set<String> SPECIAL =
            Set.of("package.json", "binding.gyp", "server.js", "npm-shrinkwrap.json");

    /** A path as a case-insensitive, Unicode-normalizing file system sees it. */
    private static String folded(String path) {
        return java.text.Normalizer.normalize(path, java.text.Normalizer.Form.NFC)
                .toLowerCase(java.util.Locale.ROOT);
    }

    private static String topFolder(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    private static String quote(String path) {
        String p = path.length() > 100 ? path.substring(0, 100) + "..." : path;
        return "\"" + p.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
