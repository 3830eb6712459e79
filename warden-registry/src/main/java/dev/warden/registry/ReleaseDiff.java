package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * What a release changes since the previous one, for the maintainers who approve it: files added,
 * removed and changed (with sizes), and every change to the package.json fields that decide what
 * installing it runs and pulls in. Both tarballs passed the publish checks already.
 *
 * <p>The review must show what will be served, nothing else: file paths are where npm unpacks them
 * ({@link TarballInspector#pathInPackage}), and the manifests compared are the served ones (the
 * previous version's as stored, the release's as its publish will build it), never a second reading
 * of the tarball.
 */
final class ReleaseDiff {

    /** The package.json fields an approver must see. */
    static final List<String> FIELDS =
            List.of(
                    "scripts",
                    "dependencies",
                    "optionalDependencies",
                    "peerDependencies",
                    "bundleDependencies",
                    "bundledDependencies",
                    "bin",
                    "gypfile",
                    "main",
                    "module",
                    "browser",
                    "exports",
                    "type",
                    "engines",
                    "os",
                    "cpu",
                    "repository");

    private ReleaseDiff() {}

    record File(long size, String sha256) {}

    /** The regular files of a package tarball, by path inside the package. */
    static Map<String, File> files(byte[] tgz) {
        Map<String, File> out = new TreeMap<>();
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(tgz), 64 * 1024);
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) {
                    continue;
                }
                out.put(
                        TarballInspector.pathInPackage(entry.getName()),
                        new File(entry.getSize(), Digests.sha256Hex(tar.readAllBytes())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading a stored tarball", e);
        }
        return out;
    }

    /**
     * Adds the differences to a stage's view, as strings (the npm CLI prints each field as text).
     *
     * @param previous the tarball of the version it follows, or null for a first release
     * @param previousManifest the manifest that version is served with, or null for a first release
     * @param nextManifest the manifest the release will be served with
     */
    static void describe(
            ObjectNode item,
            ObjectMapper json,
            String previousVersion,
            byte[] previous,
            JsonNode previousManifest,
            byte[] next,
            JsonNode nextManifest) {
        Map<String, File> before = previous == null ? Map.of() : files(previous);
        Map<String, File> after = files(next);
        item.put("comparedWith", previousVersion == null ? "(first release)" : previousVersion);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, File> f : after.entrySet()) {
            File old = before.get(f.getKey());
            if (old == null) {
                added.add(f.getKey() + " (" + f.getValue().size() + " B)");
            } else if (!old.sha256().equals(f.getValue().sha256())) {
                changed.add(
                        f.getKey() + " (" + old.size() + " B -> " + f.getValue().size() + " B)");
            }
        }
        for (Map.Entry<String, File> f : before.entrySet()) {
            if (!after.containsKey(f.getKey())) {
                removed.add(f.getKey() + " (" + f.getValue().size() + " B)");
            }
        }
        item.put("filesAdded", added.isEmpty() ? "(none)" : String.join(", ", added));
        item.put("filesRemoved", removed.isEmpty() ? "(none)" : String.join(", ", removed));
        item.put("filesChanged", changed.isEmpty() ? "(none)" : String.join(", ", changed));
        JsonNode oldPkg = previousManifest == null ? json.createObjectNode() : previousManifest;
        JsonNode newPkg = nextManifest;
        List<String> changes = new ArrayList<>();
        for (String field : FIELDS) {
            JsonNode a = oldPkg.path(field);
            JsonNode b = newPkg.path(field);
            if (a.isObject() || b.isObject()) {
                TreeSet<String> keys = new TreeSet<>();
                a.fieldNames().forEachRemaining(keys::add);
                b.fieldNames().forEachRemaining(keys::add);
                for (String k : keys) {
                    if (!Objects.equals(a.get(k), b.get(k))) {
                        changes.add(
                                field + "." + k + ": " + show(a.get(k)) + " -> " + show(b.get(k)));
                    }
                }
            } else if (!a.equals(b)) {
                changes.add(field + ": " + show(a) + " -> " + show(b));
            }
        }
        item.put("packageJsonChanges", changes.isEmpty() ? "(none)" : String.join("; ", changes));
        List<String> install = new ArrayList<>();
        for (String script : INSTALL_SCRIPTS) {
            JsonNode now = newPkg.path("scripts").get(script);
            if (now != null) {
                JsonNode was = oldPkg.path("scripts").get(script);
                install.add(
                        script
                                + ": "
                                + show(now)
                                + (was == null ? " (new)" : was.equals(now) ? "" : " (changed)"));
            }
        }
        item.put("installScripts", install.isEmpty() ? "(none)" : String.join("; ", install));
    }

    /** The scripts npm runs when the package is installed. */
    private static final List<String> INSTALL_SCRIPTS =
            List.of("preinstall", "install", "postinstall", "prepare");

    private static String show(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "(none)";
        }
        String s = n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
