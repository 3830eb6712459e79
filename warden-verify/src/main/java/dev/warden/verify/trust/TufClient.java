package dev.warden.verify.trust;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.common.Digests;
import dev.warden.verify.Remote;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A TUF client (specification 1.0, section 5, consistent snapshots) for a Warden instance's
 * repository at {@code <registry>/-/tuf/}.
 *
 * <p>The trusted root is the policy's pinned {@code root.json}, else the one cached from an earlier
 * run, else version 1 fetched and pinned on first use. Then, as the specification orders it: each
 * next root version (signed by a threshold of the old root's keys and of its own, version exactly
 * one more), the final root not expired; the timestamp; the snapshot it names (length and hash as
 * the timestamp says); the targets the snapshot names; each with the role's signature threshold,
 * its expiry, and versions that never go back from the cached ones. Targets are fetched by hash and
 * checked by length and SHA-256. Offline, the last verified metadata and targets are checked again
 * (signatures, hashes), but not for expiry. Everything verified is kept in {@link TufCache}.
 */
public final class TufClient {

    static final long METADATA_LIMIT = 1 << 20;
    static final long TARGET_LIMIT = 16 << 20;
    private static final int MAX_ROTATIONS = 1024;

    private final URI base;
    private final Remote remote;
    private final TufCache cache;
    private final Clock clock;
    private final List<String> notices = new ArrayList<>();

    /**
     * @param base the repository's URL, ending in {@code /} ({@code <registry>/-/tuf/})
     * @param cacheDir this repository's own cache directory
     */
    public TufClient(URI base, Remote remote, java.nio.file.Path cacheDir, Clock clock) {
        this.base = base;
        this.remote = remote;
        this.cache = new TufCache(cacheDir);
        this.clock = clock;
    }

    /** What this client noticed: a root pinned on first use, working from the cache. */
    public List<String> notices() {
        return List.copyOf(notices);
    }

    /**
     * Updates the metadata (or, offline, reads the last verified) and returns those of {@code
     * wanted} targets the repository has, by name.
     */
    public Map<String, byte[]> targets(
            Optional<byte[]> pinnedRoot, Set<String> wanted, boolean offline)
            throws TrustException {
        return offline ? cached(pinnedRoot, wanted) : update(pinnedRoot, wanted);
    }

    private Map<String, byte[]> update(Optional<byte[]> pinnedRoot, Set<String> wanted)
            throws TrustException {
        Instant now = clock.instant();
        TufMetadata root = trustedRoot(pinnedRoot);
        TufMetadata first = root;
        for (int i = 0; i < MAX_ROTATIONS; i++) {
            long n = root.version + 1;
            URI uri = base.resolve(n + ".root.json");
            Remote.Response r = Fetch.get(remote, uri, METADATA_LIMIT);
            if (r.status() == 404) {
                break;
            }
            if (r.status() != 200) {
                throw new TrustException(
                        "GET " + uri + " answered " + r.status() + ", expected 200 or 404");
            }
            TufMetadata next = TufMetadata.parse(r.body(), "root", "root " + uri);
            next.requireSignedBy(root, "root");
            next.requireSignedBy(next, "root");
            if (next.version != n) {
                throw new TrustException(
                        "root " + uri + " has version " + next.version + ", expected " + n);
            }
            root = next;
            cache.write(TufCache.ROOT, root.raw);
        }
        notExpired(root, now);
        if (!first.roleKeys("timestamp").equals(root.roleKeys("timestamp"))
                || !first.roleKeys("snapshot").equals(root.roleKeys("snapshot"))) {
            // new timestamp or snapshot keys: versions start afresh (fast-forward recovery, 5.3.11)
            cache.delete(TufCache.TIMESTAMP);
            cache.delete(TufCache.SNAPSHOT);
        }

        TufMetadata timestamp =
                TufMetadata.parse(
                        Fetch.ok(remote, base.resolve("timestamp.json"), METADATA_LIMIT),
                        "timestamp",
                        "timestamp " + base.resolve("timestamp.json"));
        timestamp.requireSignedBy(root, "timestamp");
        Optional<TufMetadata> oldTimestamp = cachedMeta(TufCache.TIMESTAMP, "timestamp");
        if (oldTimestamp.isPresent()) {
            notBack(timestamp, oldTimestamp.get().version, "timestamp");
            long oldSnap = metaVersion(oldTimestamp.get(), "snapshot.json");
            if (metaVersion(timestamp, "snapshot.json") < oldSnap) {
                throw new TrustException(
                        timestamp.what
                                + " names snapshot version "
                                + metaVersion(timestamp, "snapshot.json")
                                + ", older than the cached "
                                + oldSnap
                                + " (rollback)");
            }
        }
        notExpired(timestamp, now);

        TufMetadata snapshot = fetchNamed(timestamp, "snapshot.json", "snapshot", root);
        Optional<TufMetadata> oldSnapshot = cachedMeta(TufCache.SNAPSHOT, "snapshot");
        if (oldSnapshot.isPresent()) {
            var names = oldSnapshot.get().signed.path("meta").fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                long was = metaVersion(oldSnapshot.get(), name);
                if (!snapshot.signed.path("meta").has(name) || metaVersion(snapshot, name) < was) {
                    throw new TrustException(
                            snapshot.what
                                    + " names "
                                    + name
                                    + " version "
                                    + (snapshot.signed.path("meta").has(name)
                                            ? metaVersion(snapshot, name)
                                            : "none")
                                    + ", older than the cached "
                                    + was
                                    + " (rollback)");
                }
            }
        }
        notExpired(snapshot, now);

        TufMetadata targets = fetchNamed(snapshot, "targets.json", "targets", root);
        Optional<TufMetadata> oldTargets = cachedMeta(TufCache.TARGETS, "targets");
        if (oldTargets.isPresent()) {
            notBack(targets, oldTargets.get().version, "targets");
        }
        notExpired(targets, now);

        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : wanted) {
            JsonNode t = targets.signed.path("targets").path(name);
            if (t.isMissingNode()) {
                continue;
            }
            Optional<byte[]> have = cache.read(TufCache.target(name));
            if (have.isPresent() && matches(t, have.get()) == null) {
                out.put(name, have.get());
                continue;
            }
            long length = t.path("length").asLong(-1);
            String sha = t.path("hashes").path("sha256").asText();
            if (length < 0 || length > TARGET_LIMIT || !sha.matches("[0-9a-f]{64}")) {
                throw new TrustException(
                        targets.what
                                + " describes "
                                + name
                                + " without a length up to "
                                + TARGET_LIMIT
                                + " and a sha256 hash");
            }
            URI uri = base.resolve("targets/" + sha + "." + name);
            byte[] bytes = Fetch.ok(remote, uri, length);
            String wrong = matches(t, bytes);
            if (wrong != null) {
                throw new TrustException("target " + uri + " " + wrong);
            }
            cache.write(TufCache.target(name), bytes);
            out.put(name, bytes);
        }
        cache.write(TufCache.TIMESTAMP, timestamp.raw);
        cache.write(TufCache.SNAPSHOT, snapshot.raw);
        cache.write(TufCache.TARGETS, targets.raw);
        cache.verifiedAt(now);
        return out;
    }

    /** Offline: the last verified metadata and targets, checked again except for expiry. */
    private Map<String, byte[]> cached(Optional<byte[]> pinnedRoot, Set<String> wanted)
            throws TrustException {
        Optional<byte[]> rootBytes = cache.read(TufCache.ROOT);
        Optional<Instant> at = cache.verifiedAt();
        if (rootBytes.isEmpty() || at.isEmpty()) {
            throw new TrustException(
                    "offline, and no TUF metadata of "
                            + base
                            + " in the cache: run once online first");
        }
        if (pinnedRoot.isPresent()
                && !Digests.sha256Hex(pinnedRoot.get()).equals(cache.pin().orElse(""))) {
            throw new TrustException(
                    "offline, and the cached TUF metadata of "
                            + base
                            + " was not verified from the root the policy pins: run once online"
                            + " first");
        }
        TufMetadata root = TufMetadata.parse(rootBytes.get(), "root", "cached root of " + base);
        root.requireSignedBy(root, "root");
        TufMetadata timestamp =
                cachedMeta(TufCache.TIMESTAMP, "timestamp").orElseThrow(() -> missing("timestamp"));
        timestamp.requireSignedBy(root, "timestamp");
        TufMetadata snapshot =
                cachedMeta(TufCache.SNAPSHOT, "snapshot").orElseThrow(() -> missing("snapshot"));
        checkNamed(timestamp, "snapshot.json", snapshot, root);
        TufMetadata targets =
                cachedMeta(TufCache.TARGETS, "targets").orElseThrow(() -> missing("targets"));
        checkNamed(snapshot, "targets.json", targets, root);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : wanted) {
            JsonNode t = targets.signed.path("targets").path(name);
            if (t.isMissingNode()) {
                continue;
            }
            byte[] bytes = cache.read(TufCache.target(name)).orElseThrow(() -> missing(name));
            String wrong = matches(t, bytes);
            if (wrong != null) {
                throw new TrustException("cached target " + name + " of " + base + " " + wrong);
            }
            out.put(name, bytes);
        }
        Duration age = Duration.between(at.get(), clock.instant());
        notices.add(
                "offline: TUF metadata of "
                        + base
                        + " last verified "
                        + ago(age)
                        + " ago ("
                        + at.get()
                        + ")");
        return out;
    }

    private TrustException missing(String what) {
        return new TrustException(
                "offline, and the cached TUF metadata of "
                        + base
                        + " has no "
                        + what
                        + ": run once online first");
    }

    /** The root the chain starts from (5.2), self-signed by its threshold. */
    private TufMetadata trustedRoot(Optional<byte[]> pinnedRoot) throws TrustException {
        byte[] start;
        if (pinnedRoot.isPresent()) {
            String sha = Digests.sha256Hex(pinnedRoot.get());
            Optional<byte[]> cached = cache.read(TufCache.ROOT);
            if (cached.isPresent() && cache.pin().orElse("").equals(sha)) {
                start = cached.get();
            } else {
                // a new pin: nothing verified from another root is kept
                cache.clear();
                cache.pin(sha);
                start = pinnedRoot.get();
                cache.write(TufCache.ROOT, start);
            }
        } else {
            Optional<byte[]> cached = cache.read(TufCache.ROOT);
            if (cached.isPresent()) {
                start = cached.get();
            } else {
                URI uri = base.resolve("1.root.json");
                start = Fetch.ok(remote, uri, METADATA_LIMIT);
                String sha = Digests.sha256Hex(start);
                TufMetadata first = TufMetadata.parse(start, "root", "root " + uri);
                first.requireSignedBy(first, "root");
                if (first.version != 1) {
                    throw new TrustException(
                            "root " + uri + " has version " + first.version + ", expected 1");
                }
                cache.clear();
                cache.pin(sha);
                cache.write(TufCache.ROOT, start);
                notices.add(
                        "pinned the TUF root of " + base + " on first use (sha256 " + sha + ")");
            }
        }
        TufMetadata root = TufMetadata.parse(start, "root", "trusted root of " + base);
        root.requireSignedBy(root, "root");
        return root;
    }

    /**
     * The metadata {@code meta} names as {@code file}, fetched by version and checked (5.5, 5.6).
     */
    private TufMetadata fetchNamed(TufMetadata meta, String file, String type, TufMetadata root)
            throws TrustException {
        long v = metaVersion(meta, file);
        URI uri = base.resolve(v + "." + file);
        long length = meta.signed.path("meta").path(file).path("length").asLong(METADATA_LIMIT);
        byte[] bytes = Fetch.ok(remote, uri, Math.min(length, METADATA_LIMIT));
        TufMetadata m = TufMetadata.parse(bytes, type, type + " " + uri);
        checkNamed(meta, file, m, root);
        return m;
    }

    private void checkNamed(TufMetadata meta, String file, TufMetadata m, TufMetadata root)
            throws TrustException {
        JsonNode d = meta.signed.path("meta").path(file);
        if (d.has("length") && d.path("length").asLong() != m.raw.length) {
            throw new TrustException(
                    m.what
                            + " has "
                            + m.raw.length
                            + " bytes, "
                            + meta.what
                            + " says "
                            + d.path("length").asLong());
        }
        if (d.path("hashes").has("sha256")
                && !d.path("hashes").path("sha256").asText().equals(Digests.sha256Hex(m.raw))) {
            throw new TrustException(
                    m.what
                            + " has sha256 "
                            + Digests.sha256Hex(m.raw)
                            + ", "
                            + meta.what
                            + " says "
                            + d.path("hashes").path("sha256").asText());
        }
        m.requireSignedBy(root, m.type);
        if (m.version != metaVersion(meta, file)) {
            throw new TrustException(
                    m.what
                            + " has version "
                            + m.version
                            + ", "
                            + meta.what
                            + " names "
                            + metaVersion(meta, file));
        }
    }

    private static long metaVersion(TufMetadata m, String file) throws TrustException {
        JsonNode v = m.signed.path("meta").path(file).path("version");
        if (!v.canConvertToLong() || v.asLong() < 1) {
            throw new TrustException(m.what + " names no version of " + file);
        }
        return v.asLong();
    }

    private static void notBack(TufMetadata m, long cached, String role) throws TrustException {
        if (m.version < cached) {
            throw new TrustException(
                    m.what
                            + " has version "
                            + m.version
                            + ", older than the cached "
                            + role
                            + " version "
                            + cached
                            + " (rollback)");
        }
    }

    private static void notExpired(TufMetadata m, Instant now) throws TrustException {
        if (!m.expires.isAfter(now)) {
            throw new TrustException(
                    m.what
                            + " (version "
                            + m.version
                            + ") expired at "
                            + m.expires
                            + ", it is now "
                            + now);
        }
    }

    /** Null when {@code bytes} have the target's length and sha256, else what differs. */
    private static String matches(JsonNode target, byte[] bytes) {
        long length = target.path("length").asLong(-1);
        if (length != bytes.length) {
            return "has " + bytes.length + " bytes, expected " + length;
        }
        String sha = Digests.sha256Hex(bytes);
        String expected = target.path("hashes").path("sha256").asText();
        return sha.equals(expected) ? null : "has sha256 " + sha + ", expected " + expected;
    }

    private Optional<TufMetadata> cachedMeta(String file, String type) throws TrustException {
        Optional<byte[]> b = cache.read(file);
        return b.isEmpty()
                ? Optional.empty()
                : Optional.of(TufMetadata.parse(b.get(), type, "cached " + type + " of " + base));
    }

    static String ago(Duration d) {
        if (d.isNegative() || d.toMinutes() < 1) {
            return "less than a minute";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min";
        }
        if (d.toDays() < 2) {
            return d.toHours() + " h";
        }
        return d.toDays() + " days";
    }
}
