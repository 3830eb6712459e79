package dev.warden.registry;

import dev.warden.review.ReviewSettings;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The SHA-256 of each file of a package tarball (path as npm unpacks it), within the review's
 * limits: what "the same new file in unrelated packages" is compared by. A tarball past the limits
 * or unreadable gives what was read before it, and says so.
 */
final class FileDigests {

    /** The digests by path, and whether every file was read. */
    record Digests(Map<String, String> byPath, boolean complete) {}

    private FileDigests() {}

    static Digests of(byte[] tarball, ReviewSettings limits) {
        Map<String, String> out = new HashMap<>();
        long total = 0;
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(
                        new GZIPInputStream(new ByteArrayInputStream(tarball), 64 * 1024))) {
            TarArchiveEntry e;
            byte[] buf = new byte[16 * 1024];
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile()) {
                    continue;
                }
                if (out.size() >= limits.maxFiles()) {
                    return new Digests(out, false);
                }
                MessageDigest sha = sha256();
                long size = 0;
                int n;
                while ((n = tar.read(buf)) > 0) {
                    size += n;
                    total += n;
                    if (size > limits.maxFileBytes() || total > limits.maxUnpackedBytes()) {
                        return new Digests(out, false);
                    }
                    sha.update(buf, 0, n);
                }
                out.put(
                        TarballInspector.pathInPackage(e.getName()),
                        HexFormat.of().formatHex(sha.digest()));
            }
        } catch (IOException | RuntimeException e) {
            return new Digests(out, false);
        }
        return new Digests(out, true);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
