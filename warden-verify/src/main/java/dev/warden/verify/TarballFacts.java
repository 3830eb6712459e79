package dev.warden.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What a verifier keeps of a tarball it fetched: its digests, and whether the package it holds runs
 * install scripts. The scripts are read from the tarball's own {@code package.json} (and a {@code
 * binding.gyp}, for which npm runs {@code node-gyp rebuild}), not from the registry's manifest,
 * which a publisher can make say otherwise (manifest confusion).
 *
 * @param unread why the scripts could not be read (the tarball does not unpack, unpacks past the
 *     limit, or its package.json is too large), or null when they were: a caller that denies
 *     install scripts must treat an unread tarball as one that has them, since npm itself may still
 *     install it
 */
public record TarballFacts(Integrity.Digests digests, boolean installScripts, String unread) {

    /** The most unpacked bytes read from one tarball; past it, the rest is not looked at. */
    static final long UNPACKED_LIMIT = 512L << 20;

    /** The largest package.json read. */
    static final long PACKAGE_JSON_LIMIT = 8L << 20;

    /** Facts whose scripts were read. */
    public TarballFacts(Integrity.Digests digests, boolean installScripts) {
        this(digests, installScripts, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static TarballFacts of(byte[] tarball) {
        Top top = top(tarball);
        return new TarballFacts(
                Integrity.Digests.of(tarball), top.bindingGyp() || top.scripts(), top.unread());
    }

    /** For the cache: one line. */
    String line() {
        return digests.line() + " " + (installScripts ? "scripts" : "none");
    }

    /** A kept line, or null when it cannot be read (then the tarball is fetched again). */
    static TarballFacts parseLine(String line) {
        int last = line.trim().lastIndexOf(' ');
        if (last < 0) {
            return null;
        }
        Integrity.Digests d = Integrity.Digests.parseLine(line.trim().substring(0, last));
        String flag = line.trim().substring(last + 1);
        return d == null || !(flag.equals("scripts") || flag.equals("none"))
                ? null
                : new TarballFacts(d, flag.equals("scripts"));
    }

    /**
     * The top folder's package.json as the tarball has it (the manifest a client installs, whatever
     * the registry's copy says), or null when the tarball cannot be read or has none.
     */
    public static JsonNode packageJson(byte[] tarball) {
        return top(tarball).packageJson();
    }

    /**
     * What the top folder holds: its package.json (the last, when the tar repeats it), whether it
     * has a binding.gyp, whether any of its package.json entries names an install script, and why
     * that could not all be read (or null).
     */
    private record Top(JsonNode packageJson, boolean bindingGyp, boolean scripts, String unread) {}

    private static Top top(byte[] tarball) {
        try (InputStream gz = new GzipCompressorInputStream(new ByteArrayInputStream(tarball));
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            long unpacked = 0;
            JsonNode packageJson = null;
            boolean gyp = false;
            boolean scripts = false;
            String unread = null;
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                unpacked += Math.max(0, e.getSize());
                if (unpacked > UNPACKED_LIMIT) {
                    unread = "the tarball unpacks to more than " + (UNPACKED_LIMIT >> 20) + " MiB";
                    break;
                }
                String[] parts = e.getName().split("/");
                if (!e.isFile() || parts.length != 2) {
                    continue;
                }
                if (parts[1].equals("binding.gyp")) {
                    gyp = true;
                } else if (parts[1].equals("package.json")) {
                    if (e.getSize() > PACKAGE_JSON_LIMIT) {
                        unread =
                                "its package.json is larger than "
                                        + (PACKAGE_JSON_LIMIT >> 20)
                                        + " MiB";
                        continue;
                    }
                    packageJson = JSON.readTree(tar.readAllBytes());
                    JsonNode s = packageJson.path("scripts");
                    scripts |=
                            s.hasNonNull("preinstall")
                                    || s.hasNonNull("install")
                                    || s.hasNonNull("postinstall");
                }
            }
            return new Top(packageJson, gyp, scripts, unread);
        } catch (IOException | RuntimeException e) {
            return new Top(null, false, false, "the tarball cannot be unpacked: " + e.getMessage());
        }
    }
}
