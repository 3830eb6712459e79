package dev.warden.verify.lockfile;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * yarn berry's yarn.lock (yarn 2 and later; {@code __metadata.version} 4 to 10), which is YAML.
 * Each entry's {@code resolution} is a locator {@code name@protocol:reference}: {@code npm:} for a
 * registry (berry records no URL: the verifier takes the registry's), {@code workspace:}, {@code
 * portal:} and {@code link:} for the project's own folders, {@code patch:} for a registry package
 * patched locally (it names its base package, which is what is fetched and verified), git and
 * tarball URLs, {@code file:}. The {@code checksum} is yarn's hash of its own zip archive, not an
 * SRI integrity, so none is reported.
 */
final class YarnBerryLock {

    private static final int MIN_VERSION = 4;
    private static final int MAX_VERSION = 10;

    /** Patches of patches are possible; deeper nesting than this is refused as malformed. */
    private static final int MAX_PATCH_DEPTH = 4;

    private record Source(String name, SourceKind kind, String resolved, String version) {}

    private YarnBerryLock() {}

    /** A yarn.lock with {@code __metadata} at the start of a line of its first 4 KiB. */
    static boolean looksLikeBerry(byte[] bytes) {
        String head =
                new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
        return head.startsWith("__metadata:") || head.contains("\n__metadata:");
    }

    static Lockfile read(Path file, byte[] bytes) throws LockfileException {
        JsonNode root = Trees.yaml(file, bytes);
        if (!root.isObject()) {
            throw new LockfileException(file + ": expected a YAML mapping at the top");
        }
        String version = Trees.text(root.path("__metadata"), "version");
        int v = parseVersion(version);
        if (v < MIN_VERSION || v > MAX_VERSION) {
            throw new LockfileException(
                    file
                            + ": yarn.lock __metadata.version "
                            + (version == null ? "missing" : version)
                            + " is not supported (supported: "
                            + MIN_VERSION
                            + " to "
                            + MAX_VERSION
                            + ", written by yarn 2 to 4)");
        }
        Packages out = new Packages(file);
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals("__metadata")) {
                continue;
            }
            out.count();
            String key = e.getKey();
            JsonNode entry = e.getValue();
            if (!entry.isObject()) {
                throw new LockfileException(file + ": entry \"" + key + "\" is not a mapping");
            }
            String resolution = Trees.text(entry, "resolution");
            if (resolution == null) {
                throw new LockfileException(file + ": entry \"" + key + "\" has no resolution");
            }
            Source s = source(file, key, resolution, 0);
            if (s.kind == SourceKind.LINK && "workspace:.".equals(s.resolved)) {
                continue; // the project itself
            }
            // The resolution's protocol decides: an entry that says it is a soft link but resolves
            // from the registry, git or a URL is checked as what it resolves to, never skipped.
            SourceKind kind = s.kind;
            String pinned = Trees.text(entry, "version");
            out.add(
                    s.name,
                    s.version != null ? s.version : pinned,
                    kind,
                    s.resolved,
                    null,
                    false,
                    key);
        }
        return out.build("yarn berry v" + v);
    }

    private static int parseVersion(String version) {
        if (version == null || version.isEmpty() || version.length() > 4) {
            return -1;
        }
        for (int i = 0; i < version.length(); i++) {
            if (!Character.isDigit(version.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(version);
    }

    /** The package a locator names, where it comes from and, for npm:, its version. */
    private static Source source(Path file, String key, String locator, int depth)
            throws LockfileException {
        String[] split = Sources.splitNameAt(locator);
        if (split == null) {
            throw new LockfileException(
                    file + ": entry \"" + key + "\" has a resolution with no name: " + locator);
        }
        String name = split[0];
        String ref = split[1];
        String lower = ref.toLowerCase(Locale.ROOT);
        if (lower.startsWith("npm:")) {
            return new Source(name, SourceKind.REGISTRY, null, ref.substring(4));
        }
        if (lower.startsWith("patch:")) {
            if (depth >= MAX_PATCH_DEPTH) {
                throw new LockfileException(
                        file
                                + ": entry \""
                                + key
                                + "\" nests patches deeper than "
                                + MAX_PATCH_DEPTH);
            }
            // patch:<base locator, percent-encoded>#<patch file>::<params>
            String base = ref.substring(6);
            int hash = base.indexOf('#');
            if (hash >= 0) {
                base = base.substring(0, hash);
            }
            return source(file, key, percentDecoded(base), depth + 1);
        }
        if (lower.startsWith("workspace:")
                || lower.startsWith("portal:")
                || lower.startsWith("link:")) {
            return new Source(name, SourceKind.LINK, withoutParams(ref), null);
        }
        if (lower.startsWith("file:") || lower.startsWith("exec:")) {
            return new Source(name, SourceKind.FILE, withoutParams(ref), null);
        }
        if (Sources.isGit(lower) || lower.contains("#commit=") || lower.contains(".git#")) {
            return new Source(name, SourceKind.GIT, ref, null);
        }
        String resolved = withoutParams(ref);
        return new Source(name, Sources.kindOf(name, resolved), resolved, null);
    }

    /** Berry appends {@code ::locator=...} and the like to some references. */
    private static String withoutParams(String ref) {
        int params = ref.indexOf("::");
        return params >= 0 ? ref.substring(0, params) : ref;
    }

    /** %XX sequences decoded (a malformed one is kept as it is); {@code +} stays a plus. */
    static String percentDecoded(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%'
                    && i + 2 < bytes.length
                    && HexFormat.isHexDigit(bytes[i + 1])
                    && HexFormat.isHexDigit(bytes[i + 2])) {
                out.write(hex(bytes[i + 1], bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte hi, byte lo) {
        return (Character.digit(hi, 16) << 4) | Character.digit(lo, 16);
    }
}
