package dev.warden.verify.lockfile;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * pnpm-lock.yaml, lockfileVersion 6.0, 7.0 and 9.0. Every package sits once in {@code packages}
 * under {@code /name@version(peers)} (6.0, 7.0) or {@code name@version} (9.0, which moves the peer
 * variants to {@code snapshots}); what is not from a registry says so in its {@code resolution} (a
 * git repository and commit, a tarball URL, a directory). Importers (the project and its
 * workspaces) are not packages; their {@code link:} dependencies are {@link SourceKind#LINK}.
 */
final class PnpmLock {

    private static final Set<String> SUPPORTED = Set.of("6", "7", "9");

    private static final List<String> DEPENDENCY_FIELDS =
            List.of("dependencies", "devDependencies", "optionalDependencies");

    private record Entry(
            String name,
            String version,
            SourceKind kind,
            String resolved,
            String integrity,
            boolean installScript) {}

    private PnpmLock() {}

    static Lockfile read(Path file, byte[] bytes) throws LockfileException {
        JsonNode root = Trees.yaml(file, bytes);
        if (!root.isObject()) {
            throw new LockfileException(file + ": expected a YAML mapping at the top");
        }
        String version = Trees.text(root, "lockfileVersion");
        String major = version == null ? "" : version.split("\\.", 2)[0];
        if (!SUPPORTED.contains(major)) {
            throw new LockfileException(
                    file
                            + ": lockfileVersion "
                            + (version == null ? "missing" : version)
                            + " is not supported (supported: 6.0, 7.0, 9.0; pnpm 8 and later"
                            + " write them)");
        }
        Packages out = new Packages(file);
        readImporter(file, ".", root, out);
        JsonNode importers = root.get("importers");
        if (importers != null) {
            for (Map.Entry<String, JsonNode> e :
                    object(file, importers, "importers").properties()) {
                out.count();
                readImporter(file, e.getKey(), e.getValue(), out);
            }
        }
        boolean v9 = major.equals("9");
        Map<String, Entry> byKey = new HashMap<>();
        JsonNode packages = root.get("packages");
        if (packages != null) {
            for (Map.Entry<String, JsonNode> e : object(file, packages, "packages").properties()) {
                out.count();
                JsonNode value = e.getValue();
                if (!value.isObject()) {
                    throw new LockfileException(
                            file + ": packages entry \"" + e.getKey() + "\" is not a mapping");
                }
                Entry entry = entry(e.getKey(), value, v9);
                byKey.put(e.getKey(), entry);
                add(out, entry, e.getKey());
            }
        }
        JsonNode snapshots = root.get("snapshots");
        if (v9 && snapshots != null) {
            // The peer variants of the packages above; one whose package is missing is kept with
            // no integrity, for the verifier to report, rather than dropped.
            for (Map.Entry<String, JsonNode> e :
                    object(file, snapshots, "snapshots").properties()) {
                out.count();
                String key = e.getKey();
                Entry entry = byKey.get(withoutPeers(key));
                add(out, entry != null ? entry : entry(key, null, true), key);
            }
        }
        return out.build("pnpm-lock v" + version);
    }

    private static JsonNode object(Path file, JsonNode node, String what) throws LockfileException {
        if (!node.isObject()) {
            throw new LockfileException(file + ": \"" + what + "\" is not a mapping");
        }
        return node;
    }

    private static void add(Packages out, Entry e, String path) {
        out.add(e.name, e.version, e.kind, e.resolved, e.integrity, e.installScript, path);
    }

    /** An importer's {@code link:} dependencies (its other dependencies are in packages). */
    private static void readImporter(Path file, String importer, JsonNode node, Packages out)
            throws LockfileException {
        if (!node.isObject()) {
            throw new LockfileException(file + ": importer \"" + importer + "\" is not a mapping");
        }
        for (String field : DEPENDENCY_FIELDS) {
            JsonNode deps = node.get(field);
            if (deps == null || !deps.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> d : deps.properties()) {
                JsonNode spec = d.getValue();
                String version = spec.isObject() ? Trees.text(spec, "version") : spec.asText();
                if (version != null && version.startsWith("link:")) {
                    out.count();
                    out.add(
                            d.getKey(),
                            "",
                            SourceKind.LINK,
                            version.substring(5),
                            null,
                            false,
                            importer + " > " + d.getKey());
                }
            }
        }
    }

    /** One package of {@code packages} ({@code value} null: only its key is known). */
    private static Entry entry(String key, JsonNode value, boolean v9) {
        String base = withoutPeers(key);
        if (!v9 && base.startsWith("/")) {
            base = base.substring(1);
        }
        String[] split = Sources.splitNameAt(base);
        String name = split == null ? base : split[0];
        String version = split == null ? "" : split[1];
        if (value == null) {
            SourceKind kind =
                    version.contains(":") ? Sources.kindOf(name, version) : SourceKind.REGISTRY;
            return new Entry(
                    name, version, kind, kind == SourceKind.REGISTRY ? null : version, null, false);
        }
        // Packages not from a registry carry their name and version as fields.
        String field = Trees.text(value, "name");
        if (field != null) {
            name = field;
        }
        field = Trees.text(value, "version");
        if (field != null) {
            version = field;
        }
        boolean build = value.path("requiresBuild").asBoolean(false);
        JsonNode resolution = value.path("resolution");
        String integrity = Trees.text(resolution, "integrity");
        String type = Trees.text(resolution, "type");
        String tarball = Trees.text(resolution, "tarball");
        if ("git".equals(type)) {
            String repo = Trees.text(resolution, "repo");
            String commit = Trees.text(resolution, "commit");
            String resolved = commit == null ? repo : repo + "#" + commit;
            return new Entry(name, version, SourceKind.GIT, resolved, integrity, build);
        }
        if ("directory".equals(type)) {
            return new Entry(
                    name,
                    version,
                    SourceKind.FILE,
                    Trees.text(resolution, "directory"),
                    integrity,
                    build);
        }
        if (tarball != null) {
            return new Entry(
                    name, version, Sources.kindOf(name, tarball), tarball, integrity, build);
        }
        return new Entry(name, version, SourceKind.REGISTRY, null, integrity, build);
    }

    /** {@code react-dom@18.2.0(react@18.2.0)} without its peers. */
    private static String withoutPeers(String key) {
        int paren = key.indexOf('(');
        return paren > 0 ? key.substring(0, paren) : key;
    }
}
