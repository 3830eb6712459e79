package dev.warden.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A package built in memory for tests: its manifest, its files and its npm-style tarball. */
final class Pkg {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    final ObjectNode manifest = JSON.createObjectNode();
    final Map<String, byte[]> files = new LinkedHashMap<>();

    Pkg(String name, String version) {
        manifest.put("name", name).put("version", version).put("main", "index.js");
    }

    static Pkg of(String version) {
        return new Pkg("widget", version);
    }

    Pkg file(String path, String text) {
        return file(path, text.getBytes(StandardCharsets.UTF_8));
    }

    Pkg file(String path, byte[] bytes) {
        files.put(path, bytes);
        return this;
    }

    Pkg script(String name, String command) {
        manifest.withObjectProperty("scripts").put(name, command);
        return this;
    }

    Pkg dep(String name, String spec) {
        manifest.withObjectProperty("dependencies").put(name, spec);
        return this;
    }

    /** The same package at another version, with the same files and manifest fields. */
    Pkg next(String version) {
        Pkg p = new Pkg(manifest.get("name").asText(), version);
        p.manifest.setAll(manifest.deepCopy());
        p.manifest.put("version", version);
        p.files.putAll(files);
        return p;
    }

    byte[] tarball() {
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put("package.json", manifest.toPrettyString().getBytes(StandardCharsets.UTF_8));
        all.putAll(files);
        return tar(all, "package/");
    }

    static byte[] tar(Map<String, byte[]> files, String prefix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(prefix + f.getKey());
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    Subject.Previous asPrevious() {
        return new Subject.Previous(
                manifest.get("version").asText(), tarball(), manifest, false, false, "alice");
    }

    static Subject.Publisher alice() {
        return new Subject.Publisher(
                "alice",
                false,
                true,
                false,
                false,
                NOW.minusSeconds(86400 * 400),
                null,
                false,
                null,
                false);
    }

    Subject release(Pkg previous) {
        return release(previous, alice());
    }

    Subject release(Pkg previous, Subject.Publisher publisher) {
        return new Subject(
                manifest.get("name").asText(),
                manifest.get("version").asText(),
                tarball(),
                manifest,
                previous == null ? null : previous.asPrevious(),
                previous == null ? null : previous.manifest.get("version").asText(),
                publisher,
                NOW);
    }
}
