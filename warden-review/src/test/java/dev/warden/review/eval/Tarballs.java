package dev.warden.review.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Packs a package directory as npm does, and reads what the evaluation needs from a tarball. */
final class Tarballs {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** npm's fixed mtime for packed files (1985-10-26T08:15:00Z), so packing is reproducible. */
    private static final long NPM_MTIME = 499162500000L;

    private Tarballs() {}

    /** A gzipped tarball of every file under {@code dir}, each under {@code package/}, sorted. */
    static byte[] pack(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar =
                    new TarArchiveOutputStream(new GZIPOutputStream(out))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Path file : files) {
                    String rel = dir.relativize(file).toString().replace('\\', '/');
                    byte[] bytes = Files.readAllBytes(file);
                    TarArchiveEntry entry = new TarArchiveEntry("package/" + rel);
                    entry.setSize(bytes.length);
                    entry.setMode(0644);
                    entry.setModTime(NPM_MTIME);
                    tar.putArchiveEntry(entry);
                    tar.write(bytes);
                    tar.closeArchiveEntry();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + dir, e);
        }
    }

    /**
     * What a tarball holds, read once: its files' SHA-256 by path (the top folder stripped), the
     * unpacked size and package.json.
     */
    record Contents(Map<String, String> sha256ByPath, long unpackedBytes, JsonNode manifest) {}

    static Contents read(byte[] tgz) {
        Map<String, String> hashes = new LinkedHashMap<>();
        long total = 0;
        JsonNode manifest = null;
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) {
                    continue;
                }
                String path = stripTop(entry.getName());
                boolean isManifest = path.equals("package.json");
                ByteArrayOutputStream manifestBytes =
                        isManifest ? new ByteArrayOutputStream() : null;
                sha.reset();
                int n;
                while ((n = tar.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    total += n;
                    if (isManifest) {
                        manifestBytes.write(buf, 0, n);
                    }
                }
                hashes.put(path, HexFormat.of().formatHex(sha.digest()));
                if (isManifest) {
                    manifest = JSON.readTree(manifestBytes.toByteArray());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable tarball", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (manifest == null) {
            throw new IllegalArgumentException("the tarball has no package.json at its top");
        }
        return new Contents(hashes, total, manifest);
    }

    /** The SHA-256s of files that {@code release} has and {@code previous} had not (by content). */
    static List<String> addedFiles(Contents release, Contents previous) {
        Set<String> before = new HashSet<>(previous.sha256ByPath().values());
        List<String> added = new ArrayList<>();
        for (String sha : release.sha256ByPath().values()) {
            if (!before.contains(sha)) {
                added.add(sha);
            }
        }
        return added;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stripTop(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }
}
