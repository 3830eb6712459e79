package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Principal;
import dev.warden.registry.Registry;
import dev.warden.registry.SafeUrls;
import dev.warden.storage.MetadataStore;
import dev.warden.web.Readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers what the package page shows of one release from the package's full packument (the same
 * document npm reads, so the page and the CLI never disagree): versions and dist-tags, the
 * manifest's links, dependencies, size and the log entry; plus what the packument does not carry:
 * the README (the manifest's, else the tarball's), dependents and the verified provenance.
 */
final class ReleaseViews {

    /** The dependents a page lists (the count names them all). */
    static final int DEPENDENTS_SHOWN = 50;

    /** How many dependents are looked at to count those the visitor may see. */
    private static final int DEPENDENTS_COUNTED = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * READMEs as rendered, by package, version and tarball integrity: a published version's README
     * and links never change, and rendering (CommonMark, then the sanitiser) is most of a page's
     * work. Bounded by the rendered HTML's size.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Readme.Rendered> rendered =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                    .maximumWeight(32L << 20)
                    .<String, Readme.Rendered>weigher((k, r) -> 64 + k.length() + r.html().length())
                    .build();

    private final Registry registry;
    private final MetadataStore store;
    private final TarballFiles files;
    private final String publicUrl;

    ReleaseViews(Registry registry, MetadataStore store, TarballFiles files, String publicUrl) {
        this.registry = registry;
        this.store = store;
        this.files = files;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    /** A version the packument does not hold. */
    static final class NoSuchVersion extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchVersion(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The release {@code version} (latest when null) of a package the visitor may read, or empty
     * when none is live (only staged or quarantined releases).
     */
    Optional<BrowseViews.Release> release(String name, String version, Principal who) {
        Optional<dev.warden.storage.Packuments.PackumentRecord> doc = registry.packument(name, who);
        if (doc.isEmpty()) {
            return Optional.empty();
        }
        JsonNode packument = parse(doc.get().full());
        JsonNode tags = packument.path("dist-tags");
        String latest = tags.path("latest").asText(null);
        String shown = version == null ? latest : version;
        JsonNode v = shown == null ? null : packument.path("versions").get(shown);
        if (v == null) {
            if (version == null) {
                return Optional.empty();
            }
            throw new NoSuchVersion(name + " has no version " + version + " here");
        }
        String path = PackagePages.segment(name);
        JsonNode time = packument.path("time");
        JsonNode dist = v.path("dist");
        String integrity = dist.path("integrity").asText("");
        Readme.Rendered readme =
                integrity.isEmpty()
                        ? shownReadme(name, shown, v, integrity, path, who)
                        : rendered.get(
                                name + "@" + shown + "#" + integrity,
                                k -> shownReadme(name, shown, v, integrity, path, who));
        List<BrowseViews.Named> dependents = dependents(name, who);
        return Optional.of(
                new BrowseViews.Release(
                        name,
                        path,
                        shown,
                        PackagePages.segment(shown),
                        shown.equals(latest),
                        v.path("description").asText(""),
                        "npm install " + name + (version == null ? "" : "@" + shown),
                        readme.html().isBlank() ? null : readme.html(),
                        readme.truncated(),
                        license(v.path("license")),
                        RepositoryLinks.web(v.path("repository")),
                        link(v.path("homepage").asText(null)),
                        time.path(shown).asText(""),
                        dist.path("unpackedSize").asLong(-1),
                        dist.path("fileCount").asLong(-1),
                        integrity.isEmpty() ? -1 : files.size(name, shown, integrity),
                        versions(packument, shown),
                        dependencies(v, who),
                        dependents.size(),
                        dependents.subList(0, Math.min(DEPENDENTS_SHOWN, dependents.size())),
                        build(name, shown),
                        v.path("_log").has("index")
                                ? v.path("_log").path("index").asLong()
                                : null));
    }

    /** The README as the page shows it: rendered, its headings below the page's title. */
    private Readme.Rendered shownReadme(
            String name,
            String version,
            JsonNode manifest,
            String integrity,
            String path,
            Principal who) {
        Readme.Rendered r = readme(name, version, manifest, integrity, path, who);
        return new Readme.Rendered(belowTitle(r.html()), r.truncated());
    }

    private Readme.Rendered readme(
            String name,
            String version,
            JsonNode manifest,
            String integrity,
            String path,
            Principal who) {
        String text = manifest.path("readme").asText("");
        if (text.isBlank()) {
            // the packument leaves a version's README out: the manifest as stored has it, if npm
            // sent one; else the tarball's own
            Optional<com.fasterxml.jackson.databind.node.ObjectNode> stored =
                    registry.version(name, version, who);
            text = stored.map(s -> s.path("readme").asText("")).orElse("");
        }
        if (text.isBlank() && !integrity.isEmpty()) {
            text = files.readme(name, version, integrity).orElse("");
        }
        String filesUrl =
                publicUrl
                        + "/-/web/package/"
                        + path
                        + "/v/"
                        + PackagePages.segment(version)
                        + "/files/";
        return Readme.render(
                text,
                new Readme.Links(filesUrl, RepositoryLinks.browse(manifest.path("repository"))));
    }

    private static final java.util.regex.Pattern HEADING =
            java.util.regex.Pattern.compile("<(/?)h([1-5])([ >])");

    /**
     * The README's headings one level down (h1 to h2 ... h5 to h6): the page's title is its only
     * h1. The sanitised HTML writes every tag as {@code <hN} or {@code </hN>}, and text as
     * entities, so only real headings match.
     */
    static String belowTitle(String html) {
        return HEADING.matcher(html)
                .replaceAll(
                        m ->
                                "<"
                                        + m.group(1)
                                        + "h"
                                        + (Integer.parseInt(m.group(2)) + 1)
                                        + m.group(3));
    }

    /** Every live version, newest first, with the dist-tags that point at it. */
    private static List<BrowseViews.VersionRow> versions(JsonNode packument, String shown) {
        JsonNode time = packument.path("time");
        Map<String, List<String>> tagsOf = new java.util.HashMap<>();
        packument
                .path("dist-tags")
                .properties()
                .forEach(
                        t ->
                                tagsOf.computeIfAbsent(
                                                t.getValue().asText(), k -> new ArrayList<>())
                                        .add(t.getKey()));
        List<BrowseViews.VersionRow> rows = new ArrayList<>();
        packument
                .path("versions")
                .properties()
                .forEach(
                        e ->
                                rows.add(
                                        new BrowseViews.VersionRow(
                                                e.getKey(),
                                                PackagePages.segment(e.getKey()),
                                                time.path(e.getKey()).asText(""),
                                                tagsOf.getOrDefault(e.getKey(), List.of()),
                                                e.getValue().path("deprecated").asText(null),
                                                e.getKey().equals(shown))));
        rows.sort(
                Comparator.comparing(BrowseViews.VersionRow::date)
                        .thenComparing(BrowseViews.VersionRow::version)
                        .reversed());
        return rows;
    }

    private List<BrowseViews.Dependency> dependencies(JsonNode manifest, Principal who) {
        List<BrowseViews.Dependency> out = new ArrayList<>();
        for (String kind :
                new String[] {"dependencies", "peerDependencies", "optionalDependencies"}) {
            manifest.path(kind)
                    .properties()
                    .forEach(
                            d ->
                                    out.add(
                                            new BrowseViews.Dependency(
                                                    d.getKey(),
                                                    d.getValue().asText(),
                                                    kind,
                                                    registry.readable(d.getKey(), who)
                                                            ? PackagePages.segment(d.getKey())
                                                            : null)));
        }
        return out;
    }

    /** The packages here that depend on {@code name} and that the visitor may see. */
    private List<BrowseViews.Named> dependents(String name, Principal who) {
        List<BrowseViews.Named> out = new ArrayList<>();
        for (String d : store.read(tx -> tx.dependencies().dependents(name, DEPENDENTS_COUNTED))) {
            if (registry.readable(d, who)) {
                out.add(new BrowseViews.Named(d, PackagePages.segment(d)));
            }
        }
        return out;
    }

    private BrowseViews.Build build(String name, String version) {
        return registry.provenanceOf(name, version)
                .map(
                        f ->
                                new BrowseViews.Build(
                                        f.path("sourceRepository").asText(""),
                                        f.path("sourceCommit").asText(""),
                                        f.path("sourceRef").asText(""),
                                        f.path("workflow").asText(""),
                                        f.path("runInvocation").asText(""),
                                        f.path("builder").asText(""),
                                        f.path("signedAt").asText(""),
                                        f.path("logIndex").asLong(-1)))
                .orElse(null);
    }

    /** A license as npm writes it: an SPDX expression, or an old {@code {type}} object. */
    private static String license(JsonNode license) {
        if (license.isTextual()) {
            return license.asText();
        }
        return license.path("type").asText(null);
    }

    private static String link(String url) {
        return url != null && SafeUrls.isLink(url) ? url : null;
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
