package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.common.Digests;
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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What a release changes since the previous one, for the maintainers who approve it: files
 * added, removed and changed (with sizes), and every change to the package.json fields that decide
 * what installing it runs and pulls in. Both tarballs passed the publish checks already.
 */
final class ReleaseDiff {

    /** The package.json fields an approver must see. */
    static final List<String> FIELDS = List.of("scripts", "dependencies", "optionalDependencies", "peerDependencies", "bin", "main",
            "exports", "engines", "repository");

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
                String path = entry.getName();
                int slash = path.indexOf('/');
                out.put(slash >= 0 ? path.substring(slash + 1) : path, new File(entry.getSize(), Digests.sha256Hex(tar.readAllBytes())));
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
     */
    static void describe(ObjectNode item, ObjectMapper json, String previousVersion, byte[] previous, byte[] next) {
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
                changed.add(f.getKey() + " (" + old.size() + " B -> " + f.getValue().size() + " B)");
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
        JsonNode oldPkg = previous == null ? json.createObjectNode() : packageJson(json, previous);
        JsonNode newPkg = packageJson(json, next);
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
                        changes.add(field + "." + k + ": " + show(a.get(k)) + " -> " + show(b.get(k)));
                    }
                }
            } else if (!a.equals(b)) {
                changes.add(field + ": " + show(a) + " -> " + show(b));
            }
        }
        item.put("packageJsonChanges", changes.isEmpty() ? "(none)" : String.join("; ", changes));
    }

    private static String show(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "(none)";
        }
        String s = n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static JsonNode packageJson(ObjectMapper json, byte[] tgz) {
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(tgz), 64 * 1024);
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile() && entry.getName().equals("package/package.json")) {
                    JsonNode n = json.readTree(tar.readAllBytes());
                    return n instanceof ObjectNode ? n : json.createObjectNode();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading a stored tarball", e);
        }
        return json.createObjectNode();
    }
}
