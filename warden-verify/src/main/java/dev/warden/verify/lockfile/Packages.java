package dev.warden.verify.lockfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects the packages of one lockfile: one entry per distinct (name, version, kind, resolved,
 * integrity), the paths of duplicates merged, in the lockfile's order. Two entries that differ only
 * in integrity stay apart so that the verifier sees both claims.
 */
final class Packages {

    /** The most entries a lockfile may have, counted before merging (the design's limit). */
    static final int MAX_ENTRIES = 500_000;

    private record Key(
            String name, String version, SourceKind kind, String resolved, String integrity) {}

    private static final class Builder {
        final Key key;
        boolean installScript;
        final LinkedHashSet<String> paths = new LinkedHashSet<>();

        Builder(Key key) {
            this.key = key;
        }
    }

    private final Path file;
    private final Map<Key, Builder> byKey = new LinkedHashMap<>();
    private int entries;

    Packages(Path file) {
        this.file = file;
    }

    /** Counts one entry of the lockfile against the limit, whether or not it becomes a package. */
    void count() throws LockfileException {
        if (++entries > MAX_ENTRIES) {
            throw new LockfileException(file + ": more than " + MAX_ENTRIES + " entries; refused");
        }
    }

    void add(
            String name,
            String version,
            SourceKind kind,
            String resolved,
            String integrity,
            boolean installScript,
            String path) {
        Key key =
                new Key(
                        Objects.requireNonNullElse(name, ""),
                        Objects.requireNonNullElse(version, ""),
                        kind,
                        resolved,
                        integrity);
        Builder b = byKey.computeIfAbsent(key, Builder::new);
        b.installScript |= installScript;
        b.paths.add(path);
    }

    Lockfile build(String format) {
        List<LockedPackage> out = new ArrayList<>(byKey.size());
        for (Builder b : byKey.values()) {
            Key k = b.key;
            out.add(
                    new LockedPackage(
                            k.name,
                            k.version,
                            k.kind,
                            k.resolved,
                            k.integrity,
                            b.installScript,
                            List.copyOf(b.paths)));
        }
        return new Lockfile(file, format, out);
    }
}
