package dev.warden.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.warden.common.Problem;
import dev.warden.registry.Registry;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Files read out of a published tarball for the package page: the README at its root (when the
 * manifest carries none) and the images a README shows. Each tarball is read as a stream, each file
 * within a limit, and what was read is kept in small caches keyed by the tarball's integrity (a
 * release never changes), so a page view does not unpack a tarball again.
 */
final class TarballFiles {

    /** The largest README read; past it the README is cut (the renderer cuts it there too). */
    static final int README_BYTES = dev.warden.web.Readme.MAX_CHARS;

    /** The largest image served from a tarball. */
    static final int IMAGE_BYTES = 5 * 1024 * 1024;

    /** A file of a tarball: its bytes, or why it is not served. */
    record File(byte[] bytes, String refusal) {}

    private final Registry registry;
    private final Cache<String, Optional<String>> readmes =
            Caffeine.newBuilder()
                    .maximumWeight(8L << 20)
                    .<String, Optional<String>>weigher(
                            (k, v) -> 64 + v.map(String::length).orElse(0))
                    .build();
    private final Cache<String, File> images =
            Caffeine.newBuilder()
                    .maximumWeight(32L << 20)
                    .<String, File>weigher(
                            (k, v) -> 64 + k.length() + (v.bytes() == null ? 0 : v.bytes().length))
                    .build();
    private final Cache<String, Long> sizes = Caffeine.newBuilder().maximumSize(10_000).build();

    TarballFiles(Registry registry) {
        this.registry = registry;
    }

    /** The README at the tarball's root ({@code README}, {@code README.md}...), if there is one. */
    Optional<String> readme(String name, String version, String integrity) {
        return readmes.get(
                integrity,
                k -> {
                    byte[] found =
                            find(
                                    name,
                                    version,
                                    integrity,
                                    TarballFiles::isReadme,
                                    README_BYTES,
                                    true,
                                    new byte[1][]);
                    return found == null
                            ? Optional.empty()
                            : Optional.of(new String(found, StandardCharsets.UTF_8));
                });
    }

    /** One file of the release, {@code path} relative to the package's root, up to the limit. */
    File image(String name, String version, String integrity, String path) {
        return images.get(
                integrity + "\n" + path,
                k -> {
                    byte[][] tooLarge = new byte[1][];
                    byte[] found =
                            find(
                                    name,
                                    version,
                                    integrity,
                                    p -> p.equals(path),
                                    IMAGE_BYTES,
                                    false,
                                    tooLarge);
                    if (tooLarge[0] != null) {
                        return new File(
                                null,
                                path
                                        + " is larger than "
                                        + IMAGE_BYTES / (1024 * 1024)
                                        + " MiB, the limit of a file shown on a page");
                    }
                    return found == null
                            ? new File(null, "the release has no file " + path)
                            : new File(found, null);
                });
    }

    /** The tarball's size in bytes, or -1 when its bytes are not stored. */
    long size(String name, String version, String integrity) {
        return sizes.get(
                integrity,
                k -> registry.blob(ref(name, version, integrity)).map(b -> b.size()).orElse(-1L));
    }

    private static boolean isReadme(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return path.indexOf('/') < 0
                && (lower.equals("readme") || lower.startsWith("readme."))
                && !lower.endsWith(".js");
    }

    /**
     * The first entry (below the tarball's top folder) that {@code wanted} accepts: read whole, cut
     * at {@code limit} when {@code cut}, else null with {@code tooLarge[0]} set when larger.
     */
    private byte[] find(
            String name,
            String version,
            String integrity,
            java.util.function.Predicate<String> wanted,
            int limit,
            boolean cut,
            byte[][] tooLarge) {
        var blob = registry.blob(ref(name, version, integrity));
        if (blob.isEmpty()) {
            return null;
        }
        try (InputStream raw = blob.get().open();
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GZIPInputStream(raw, 64 * 1024))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile()) {
                    continue;
                }
                String entry = e.getName();
                int slash = entry.indexOf('/');
                if (slash < 0 || !wanted.test(entry.substring(slash + 1))) {
                    continue;
                }
                if (e.getSize() > limit && !cut) {
                    tooLarge[0] = new byte[0];
                    return null;
                }
                return tar.readNBytes(limit);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a version's tarball is stored: its blob key is the hex of the integrity's sha512. */
    private static Registry.TarballRef ref(String name, String version, String integrity) {
        if (!integrity.startsWith("sha512-")) {
            throw Problem.notFound("the release's tarball is not stored by sha512");
        }
        byte[] digest = Base64.getDecoder().decode(integrity.substring("sha512-".length()));
        return new Registry.TarballRef(
                name, version, HexFormat.of().formatHex(digest), -1, integrity);
    }
}
