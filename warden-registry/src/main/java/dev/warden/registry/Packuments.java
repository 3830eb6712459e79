package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.warden.governance.PackageGovernance;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.Versions.VersionRecord;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The documents readers get: each package's packument (full and abbreviated, with their gzip) and
 * search entry, rendered inside the transaction of the change that alters them, and the memory that
 * answers reads without storage (packuments, tarball locations, which packages are restricted).
 */
final class Packuments {

    private final MetadataStore store;
    private final ObjectMapper json;
    private final RegistrySettings settings;
    private final PackumentBuilder builder;
    private final Cache<String, PackumentRecord> packuments;
    private final Cache<String, Optional<Registry.TarballRef>> tarballs;

    Packuments(MetadataStore store, ObjectMapper json, RegistrySettings settings) {
        this.store = store;
        this.json = json;
        this.settings = settings;
        this.builder = new PackumentBuilder(json, settings.publicUrl());
        this.packuments =
                Caffeine.newBuilder()
                        .maximumWeight(settings.packumentCacheBytes())
                        .weigher(
                                (String k, PackumentRecord p) ->
                                        p.full().length
                                                + p.fullGzip().length
                                                + p.abbreviated().length
                                                + p.abbreviatedGzip().length
                                                + 256)
                        .build();
        this.tarballs = Caffeine.newBuilder().maximumSize(100_000).build();
    }

    PackumentBuilder builder() {
        return builder;
    }

    /** The stored documents of a live package, through memory. */
    PackumentRecord find(String name) {
        return packuments.get(name, k -> store.read(tx -> tx.packuments().find(k)).orElse(null));
    }

    /** Where a live version's tarball is, through memory. */
    Optional<Registry.TarballRef> tarball(
            String name, String version, Function<String, Optional<Registry.TarballRef>> load) {
        return tarballs.get(name + "@" + version, load);
    }

    /**
     * Takes {@code name} for restricted until told otherwise: while a change of its access commits.
     */
    void markRestricted(String name) {
        restrictedCache.put(name, true);
    }

    void forgetRestricted(String name) {
        restrictedCache.invalidate(name);
    }

    /**
     * Forgets what is known of a version's tarball (its location changed, or it is about to be).
     */
    void forgetTarball(String name, String version) {
        tarballs.invalidate(name + "@" + version);
    }

    PackumentRecord rebuild(WriteTx tx, String name) {
        return rebuild(tx, tx.packages().find(name).orElseThrow());
    }

    /** As {@link #rebuild(WriteTx, String)}, with the package's row already read. */
    PackumentRecord rebuild(WriteTx tx, PackageRecord pkg) {
        String name = pkg.name();
        List<VersionRecord> versions = tx.versions().all(name);
        Map<String, String> emails = new HashMap<>();
        Function<String, String> email =
                u ->
                        emails.computeIfAbsent(
                                u, k -> tx.users().find(k).map(UserRecord::email).orElse(""));
        List<Map.Entry<String, String>> maintainers =
                tx.maintainers().of(name).stream().map(u -> Map.entry(u, email.apply(u))).toList();
        Map<String, String> tags = tx.tags().of(name);
        PackumentRecord doc =
                builder.build(
                        new PackumentBuilder.Inputs(
                                pkg,
                                versions,
                                tags,
                                maintainers,
                                tx.stars().of(name),
                                tx.registryEvents().publishIndexes(name),
                                quarantined(tx, name),
                                withheld(tx, name)));
        tx.packuments().put(doc);
        String latest = tags.get("latest");
        versions.stream()
                .filter(v -> v.live() && v.version().equals(latest))
                .findFirst()
                .ifPresent(
                        v -> {
                            ObjectNode manifest = read(v.manifest());
                            ObjectNode summary = json.createObjectNode();
                            summary.put("name", name);
                            PackageName pn = PackageName.parse(name);
                            summary.put("scope", pn.scope() == null ? "unscoped" : pn.scope());
                            summary.put("version", v.version());
                            if (manifest.hasNonNull("description")) {
                                summary.set("description", manifest.get("description"));
                            }
                            ArrayNode keywords = summary.putArray("keywords");
                            JsonNode kw = manifest.get("keywords");
                            if (kw != null && kw.isArray()) {
                                kw.forEach(k -> keywords.add(k.asText()));
                            }
                            summary.put("date", v.published().toString());
                            ObjectNode links = summary.putObject("links");
                            links.put(
                                    "npm",
                                    settings.publicUrl().replaceAll("/$", "")
                                            + "/-/web/package/"
                                            + name);
                            if (manifest.path("homepage").isTextual()) {
                                links.put("homepage", manifest.get("homepage").asText());
                            }
                            JsonNode repo = manifest.get("repository");
                            if (repo != null) {
                                links.put(
                                        "repository",
                                        repo.isTextual()
                                                ? repo.asText()
                                                : repo.path("url").asText());
                            }
                            if (manifest.hasNonNull("license")) {
                                summary.set("license", manifest.get("license"));
                            }
                            summary.putObject("publisher")
                                    .put("username", v.publisher())
                                    .put("email", email.apply(v.publisher()));
                            ArrayNode ms = summary.putArray("maintainers");
                            maintainers.forEach(
                                    m ->
                                            ms.addObject()
                                                    .put("username", m.getKey())
                                                    .put("email", m.getValue()));
                            StringBuilder text = new StringBuilder(name).append(' ');
                            text.append(manifest.path("description").asText("")).append(' ');
                            keywords.forEach(k -> text.append(k.asText()).append(' '));
                            maintainers.forEach(m -> text.append(m.getKey()).append(' '));
                            tx.search().put(name, text.toString(), write(summary));
                        });
        return doc;
    }

    /**
     * After a committed change: installs the newest documents (two writers may finish in either
     * order; the higher revision wins) and forgets what is known about the affected versions'
     * tarballs. Caffeine's per-key operations wait for a load of the same key in progress, so a
     * reader that loaded the old state before the commit cannot overwrite what comes after.
     */
    void refresh(String name, List<String> versions) {
        install(name, store.read(tx -> tx.packuments().find(name)).orElse(null), versions);
    }

    /**
     * Renders a live package's packument again, with nothing else changed: its quarantined versions
     * changed (a release quarantined, or its stage closed).
     */
    void rerender(String name) {
        PackumentRecord doc =
                store.writeDerived(
                        tx ->
                                tx.packages()
                                        .find(name)
                                        .filter(PackageRecord::live)
                                        .map(p -> rebuild(tx, p))
                                        .orElse(null));
        if (doc != null) {
            install(name, doc, List.of());
        }
    }

    /** As {@link #refresh}, with the documents the change's own transaction rendered: no read. */
    void install(String name, PackumentRecord doc, List<String> versions) {
        if (doc == null) {
            packuments.invalidate(name);
        } else {
            packuments
                    .asMap()
                    .compute(name, (k, old) -> old == null || old.rev() <= doc.rev() ? doc : old);
        }
        versions.forEach(v -> tarballs.invalidate(name + "@" + v));
        restrictedCache.invalidate(name);
    }

    void drop(String name, List<String> versions) {
        packuments.invalidate(name);
        versions.forEach(v -> tarballs.invalidate(name + "@" + v));
        restrictedCache.invalidate(name);
    }

    /**
     * Forgets all that memory holds of {@code name}: its documents, every version's tarball and
     * whether it is restricted. For changes another node committed: the next read loads them from
     * the store.
     */
    void forget(String name) {
        packuments.invalidate(name);
        String versionsOf = name + "@";
        tarballs.asMap().keySet().removeIf(k -> k.startsWith(versionsOf));
        restrictedCache.invalidate(name);
    }

    /** Forgets every package's documents, tarballs and access: anything may have changed. */
    void forgetEverything() {
        packuments.invalidateAll();
        tarballs.invalidateAll();
        restrictedCache.invalidateAll();
    }

    /** Rebuilds the documents of every live package (after a change of public URL or format). */
    int rebuildAll() {
        List<String> names = store.read(tx -> tx.packages().names(null));
        for (String name : names) {
            store.write(
                    tx -> {
                        rebuild(tx, name);
                        return null;
                    });
        }
        packuments.invalidateAll();
        tarballs.invalidateAll();
        return names.size();
    }

    private final Cache<String, Boolean> restrictedCache =
            Caffeine.newBuilder().maximumSize(100_000).build();

    boolean restricted(String name) {
        return restrictedCache.get(
                name,
                n ->
                        store.read(tx -> tx.packages().find(n))
                                .map(p -> p.access().equals("restricted"))
                                .orElse(false));
    }

    /**
     * The documents of a public package if they are in memory, else null. Never blocks, never
     * touches storage: for answering anonymous reads on an I/O thread.
     */
    PackumentRecord cachedPublic(String name) {
        Boolean isRestricted = restrictedCache.getIfPresent(name);
        if (isRestricted == null || isRestricted) {
            return null;
        }
        return packuments.getIfPresent(name);
    }

    /**
     * Like {@link #tarball} for an anonymous reader, but only from memory (null when unknown); the
     * caller counts the download.
     */
    Registry.TarballRef cachedPublicTarball(String name, String version) {
        Boolean isRestricted = restrictedCache.getIfPresent(name);
        if (isRestricted == null || isRestricted) {
            return null;
        }
        Optional<Registry.TarballRef> ref = tarballs.getIfPresent(name + "@" + version);
        if (ref == null || ref.isEmpty()) {
            return null;
        }
        return ref.get();
    }

    /** Published versions malware reports withhold, and why: served as quarantined. */
    private static Map<String, String> withheld(WriteTx tx, String name) {
        Map<String, String> out = new java.util.TreeMap<>();
        tx.malwareReports().holds(name).forEach(h -> out.put(h.version(), h.message()));
        return out;
    }

    /** Forgets what is known of these versions' tarballs (they are withheld or served again). */
    void forgetTarballs(String name, List<String> versions) {
        versions.forEach(v -> tarballs.invalidate(name + "@" + v));
    }

    /** The package's quarantined versions (stages the review quarantined) and why. */
    private Map<String, String> quarantined(WriteTx tx, String name) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String state : List.of(PackageGovernance.PENDING, PackageGovernance.APPROVED)) {
            for (StageRecord s : tx.governance().stages(List.of(name), state, 0, 1_000)) {
                if (s.release() == null) {
                    continue;
                }
                ReviewVerdict v = Release.fromJson(read(s.release())).review();
                if (v != null && v.action() == dev.warden.review.Action.QUARANTINE) {
                    out.put(
                            s.version(),
                            StagedReleases.quarantined(
                                    name, s.version(), v, s.id(), settings.publicUrl()));
                }
            }
        }
        return out;
    }

    private ObjectNode read(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
