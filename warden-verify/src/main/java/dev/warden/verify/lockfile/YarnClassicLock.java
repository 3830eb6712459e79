package dev.warden.verify.lockfile;

import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * yarn classic's yarn.lock (v1). An entry's key lists the specs it satisfies ({@code "a@^1,
 * a@^1.2"}); the name is the first spec's, or the aliased package's for {@code a@npm:b@1}. Its
 * {@code resolved} is the tarball URL with the sha1 as fragment; old files have no {@code
 * integrity}, and then the sha1 is the integrity.
 */
final class YarnClassicLock {

    private YarnClassicLock() {}

    static Lockfile read(Path file, byte[] bytes) throws LockfileException {
        String text = Trees.utf8(file, bytes);
        Packages out = new Packages(file);
        List<YarnClassicParser.Block> blocks = YarnClassicParser.parse(file, text, out);
        for (YarnClassicParser.Block b : blocks) {
            add(b, out);
        }
        return out.build("yarn classic v1");
    }

    private static void add(YarnClassicParser.Block b, Packages out) {
        String spec = b.specs().get(0);
        String[] split = Sources.splitNameAt(spec);
        String name = split == null ? spec : split[0];
        String range = split == null ? "" : split[1];
        if (range.startsWith("npm:")) {
            String[] aliased = Sources.splitNameAt(range.substring(4));
            name = aliased == null ? range.substring(4) : aliased[0];
        }
        Map<String, Object> f = b.fields();
        String version = text(f, "version");
        String resolved = text(f, "resolved");
        String integrity = text(f, "integrity");
        String path = String.join(", ", b.specs());
        SourceKind kind;
        if (resolved != null) {
            kind = Sources.kindOf(name, resolved);
            int hash = resolved.lastIndexOf('#');
            // A tarball's fragment is its sha1 (a git URL's is the commit: kept as it is).
            if (hash >= 0 && kind != SourceKind.GIT && isSha1Hex(resolved.substring(hash + 1))) {
                String sha1 = resolved.substring(hash + 1);
                resolved = resolved.substring(0, hash);
                if (integrity == null) {
                    integrity =
                            "sha1-"
                                    + Base64.getEncoder()
                                            .encodeToString(HexFormat.of().parseHex(sha1));
                }
            }
        } else if (range.startsWith("link:")) {
            kind = SourceKind.LINK;
            resolved = range.substring(5);
        } else if (range.startsWith("file:")) {
            kind = SourceKind.FILE;
            resolved = range;
        } else {
            kind = SourceKind.REGISTRY;
        }
        out.add(name, version, kind, resolved, integrity, false, path);
    }

    private static boolean isSha1Hex(String s) {
        return s.length() == 40 && s.chars().allMatch(HexFormat::isHexDigit);
    }

    private static String text(Map<String, Object> fields, String key) {
        return fields.get(key) instanceof String s ? s : null;
    }
}
