package dev.warden.verify.lockfile;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Map;

/**
 * npm's package-lock.json and npm-shrinkwrap.json. Versions 2 and 3 list every installed folder in
 * {@code packages}, keyed by its path ({@code node_modules/a/node_modules/b}); version 1 (and a v2
 * file that lacks {@code packages}) nests {@code dependencies} instead.
 */
final class NpmLock {

    private static final String NODE_MODULES = "node_modules/";

    private NpmLock() {}

    static Lockfile read(Path file, byte[] bytes, String kind) throws LockfileException {
        JsonNode root = Trees.json(file, bytes);
        if (!root.isObject()) {
            throw new LockfileException(file + ": expected a JSON object at the top");
        }
        JsonNode v = root.get("lockfileVersion");
        if (v == null || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > 3) {
            throw new LockfileException(
                    file
                            + ": lockfileVersion "
                            + (v == null ? "missing" : v.toString())
                            + " is not supported (supported: 1, 2, 3)");
        }
        Packages out = new Packages(file);
        JsonNode packages = root.get("packages");
        JsonNode dependencies = root.get("dependencies");
        if (packages != null) {
            readPackages(file, packages, out);
        } else if (dependencies != null) {
            readTree(file, dependencies, "", out);
        }
        return out.build(kind + " v" + v.asInt());
    }

    /** v2 and v3: the flat {@code packages} map. */
    private static void readPackages(Path file, JsonNode packages, Packages out)
            throws LockfileException {
        if (!packages.isObject()) {
            throw new LockfileException(file + ": \"packages\" is not an object");
        }
        for (Map.Entry<String, JsonNode> e : packages.properties()) {
            out.count();
            String path = e.getKey();
            JsonNode entry = e.getValue();
            if (!entry.isObject()) {
                throw new LockfileException(
                        file + ": packages entry \"" + path + "\" is not an object");
            }
            int nm = path.lastIndexOf(NODE_MODULES);
            if (nm < 0 || (nm > 0 && path.charAt(nm - 1) != '/')) {
                // "" is the project; other keys outside node_modules are workspace folders and
                // link targets: the project's own code, not something installed.
                continue;
            }
            if (entry.path("inBundle").asBoolean(false)) {
                // Bundled dependencies come inside their parent's tarball: verifying the parent
                // covers them, and they have no tarball or signature of their own.
                continue;
            }
            String name = Trees.text(entry, "name");
            if (name == null) {
                name = path.substring(nm + NODE_MODULES.length());
            }
            String resolved = Trees.text(entry, "resolved");
            if (entry.path("link").asBoolean(false)) {
                JsonNode target = resolved == null ? null : packages.get(resolved);
                String version =
                        target != null && target.isObject() ? Trees.text(target, "version") : null;
                out.add(name, version, SourceKind.LINK, resolved, null, false, path);
                continue;
            }
            SourceKind kind =
                    resolved == null ? SourceKind.REGISTRY : Sources.kindOf(name, resolved);
            out.add(
                    name,
                    Trees.text(entry, "version"),
                    kind,
                    resolved,
                    Trees.text(entry, "integrity"),
                    entry.path("hasInstallScript").asBoolean(false),
                    path);
        }
    }

    /** v1: {@code dependencies} nested by folder. */
    private static void readTree(Path file, JsonNode dependencies, String parent, Packages out)
            throws LockfileException {
        if (!dependencies.isObject()) {
            throw new LockfileException(
                    file + ": \"dependencies\" of \"" + parent + "\" is not an object");
        }
        for (Map.Entry<String, JsonNode> e : dependencies.properties()) {
            out.count();
            String path = parent + NODE_MODULES + e.getKey();
            JsonNode entry = e.getValue();
            if (!entry.isObject()) {
                throw new LockfileException(
                        file + ": dependencies entry \"" + path + "\" is not an object");
            }
            if (entry.path("bundled").asBoolean(false)) {
                // Inside the parent's tarball, like everything below it (see readPackages).
                continue;
            }
            readV1Entry(e.getKey(), entry, path, out);
            JsonNode nested = entry.get("dependencies");
            if (nested != null) {
                readTree(file, nested, path + "/", out);
            }
        }
    }

    private static void readV1Entry(String key, JsonNode entry, String path, Packages out) {
        String name = key;
        String version = Trees.text(entry, "version");
        String resolved = Trees.text(entry, "resolved");
        String integrity = Trees.text(entry, "integrity");
        if (version == null) {
            out.add(name, null, SourceKind.REGISTRY, resolved, integrity, false, path);
            return;
        }
        String lower = version.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("npm:")) {
            // An alias: "my-ms": {"version": "npm:ms@2.0.0"} installs ms 2.0.0 at my-ms.
            String[] real = Sources.splitNameAt(version.substring(4));
            if (real != null) {
                name = real[0];
                version = real[1];
            }
        } else if (lower.startsWith("file:")) {
            if (resolved == null && integrity == null) {
                // A linked folder (workspaces, `npm link`): nothing installed from elsewhere.
                out.add(name, "", SourceKind.LINK, version.substring(5), null, false, path);
            } else {
                out.add(
                        name,
                        "",
                        SourceKind.FILE,
                        resolved == null ? version : resolved,
                        integrity,
                        false,
                        path);
            }
            return;
        } else if (lower.contains(":")) {
            // A git URL or a tarball URL in place of a version: v1 does not record the
            // package's own version for these.
            String source = resolved == null ? version : resolved;
            out.add(name, "", Sources.kindOf(name, source), source, integrity, false, path);
            return;
        }
        SourceKind kind = resolved == null ? SourceKind.REGISTRY : Sources.kindOf(name, resolved);
        out.add(name, version, kind, resolved, integrity, false, path);
    }
}
