package dev.warden.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.DocumentBytes;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.verify.Integrity;

import org.semver4j.Semver;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders what clients get from an upstream packument (design step 3), as a pure function of the
 * upstream document, the policy's verdicts and the time.
 *
 * <ol>
 *   <li>A version younger than the minimum release age (by the upstream's {@code time}; no time
 *       counts as young) is left out of {@code versions} and {@code time}.
 *   <li>A restricted version (quarantined, held on ingest, or held by the judge from the packument)
 *       is left out of {@code versions} too, so installers that do not read {@code
 *       policyRestrictions} (pnpm, yarn) resolve a range to another version, and listed in {@code
 *       policyRestrictions} with its reason, so npm refuses it by name with the reason (E403).
 *   <li>A dist-tag whose version is hidden or restricted moves down to the highest servable version
 *       not above it (a prerelease only if the tag's version is one); with none it is dropped.
 *       {@code latest} exists whenever a version is servable.
 *   <li>Tarball and attestation URLs point to this registry; the upstream's signatures are kept,
 *       this registry's own signature of an ingested version is added beside them.
 * </ol>
 */
final class PackumentRender {

    /** Version fields of the abbreviated document (what installers need to resolve a tree). */
    private static final List<String> ABBREVIATED_FIELDS =
            List.of(
                    "name",
                    "version",
                    "deprecated",
                    "dependencies",
                    "optionalDependencies",
                    "devDependencies",
                    "bundleDependencies",
                    "peerDependencies",
                    "peerDependenciesMeta",
                    "acceptDependencies",
                    "bin",
                    "directories",
                    "dist",
                    "engines",
                    "cpu",
                    "os",
                    "libc",
                    "funding",
                    "license",
                    "_hasShrinkwrap",
                    "hasInstallScript");

    /** Top-level upstream fields never passed on: rebuilt here, or meaningless at this registry. */
    private static final Set<String> NOT_COPIED =
            Set.of(
                    "versions",
                    "time",
                    "dist-tags",
                    "policyRestrictions",
                    "stagedVersions",
                    "_warden",
                    "_attachments");

    private static final Set<String> INSTALL_SCRIPTS =
            Set.of("preinstall", "install", "postinstall");

    /**
     * An ingested version served from this registry's blob.
     *
     * @param integrity what the kept bytes have (what clients must be told, whatever the upstream
     *     says now)
     * @param upstreamIntegrity what the upstream named them by when they were ingested (a sha1, or
     *     several hashes), or {@code integrity}
     * @param signature this registry's {@code {keyid, sig}} over it, or null
     * @param logIndex the transparency-log index of its ingest statement, or null until logged
     */
    record Ingested(
            String integrity,
            String upstreamIntegrity,
            Map<String, String> signature,
            Long logIndex) {

        /** Whether {@code now} (as the upstream gives it) names the kept bytes. */
        boolean names(String now) {
            try {
                List<Integrity.Hash> then = new ArrayList<>(Integrity.parse(integrity));
                then.addAll(Integrity.parse(upstreamIntegrity));
                return now != null && Integrity.agree(Integrity.parse(now), then);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /**
     * Everything a render depends on.
     *
     * @param quarantined version to reason: quarantines and ingest holds (beat the age gate)
     * @param judged version to reason: the judge's holds from the packument alone
     * @param ingested served ingested versions
     * @param minimumAge zero when the name is exempt or no age is set
     */
    record Inputs(
            String name,
            ObjectNode upstream,
            Instant fetched,
            long rev,
            Map<String, String> quarantined,
            Map<String, String> judged,
            Map<String, Ingested> ingested,
            Duration minimumAge,
            Instant now) {}

    /**
     * A render.
     *
     * @param full the full document, for one version's document
     * @param restricted version to reason, as {@code policyRestrictions} lists them
     * @param young versions hidden for their age
     * @param ripens when the first hidden version comes of age (render again then), or null
     * @param swapped ingested versions whose upstream integrity differs from what was kept
     */
    record Rendered(
            PackumentRecord record,
            ObjectNode full,
            Map<String, String> restricted,
            Set<String> young,
            Instant ripens,
            Set<String> swapped) {}

    private final ObjectMapper json;
    private final String publicUrl;

    /**
     * @param publicUrl this registry's URL as clients reach it, ending in "/"
     */
    PackumentRender(ObjectMapper json, String publicUrl) {
        this.json = json;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl : publicUrl + "/";
    }

    String tarballUrl(String name, String version) {
        String bare = name.substring(name.indexOf('/') + 1);
        return publicUrl + name + "/-/" + bare + "-" + version + ".tgz";
    }

    Rendered render(Inputs in) {
        String name = in.name();
        ObjectNode up = in.upstream();
        JsonNode upTime = up.path("time");
        ObjectNode full = json.createObjectNode();
        for (Map.Entry<String, JsonNode> e : up.properties()) {
            if (!NOT_COPIED.contains(e.getKey())) {
                full.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        full.put("name", name);

        ObjectNode versions = json.createObjectNode();
        ObjectNode abbreviatedVersions = json.createObjectNode();
        Map<String, String> restricted = new TreeMap<>();
        Map<String, ObjectNode> restrictedDocs = new TreeMap<>();
        Set<String> young = new java.util.TreeSet<>();
        Set<String> swapped = new java.util.TreeSet<>();
        List<Semver> servable = new ArrayList<>();
        Instant ripens = null;
        for (Map.Entry<String, JsonNode> e : up.path("versions").properties()) {
            String v = e.getKey();
            Semver semver = Semver.parse(v);
            if (semver == null || !semver.getVersion().equals(v) || !e.getValue().isObject()) {
                continue; // not a version npm could ask for, nor one a URL may be built from
            }
            ObjectNode doc = versionDocument(name, v, (ObjectNode) e.getValue(), in, swapped);
            if (in.quarantined().containsKey(v)) {
                restricted.put(v, in.quarantined().get(v));
                restrictedDocs.put(v, doc);
                continue;
            }
            if (!in.minimumAge().isZero()) {
                Instant published = instant(upTime.path(v));
                if (published == null || published.plus(in.minimumAge()).isAfter(in.now())) {
                    young.add(v);
                    if (published != null) {
                        Instant at = published.plus(in.minimumAge());
                        ripens = ripens == null || at.isBefore(ripens) ? at : ripens;
                    }
                    continue;
                }
            }
            if (in.judged().containsKey(v) && !in.ingested().containsKey(v)) {
                restricted.put(v, in.judged().get(v));
                restrictedDocs.put(v, doc);
                continue;
            }
            versions.set(v, doc);
            abbreviatedVersions.set(v, abbreviated(doc));
            servable.add(semver);
        }

        ObjectNode time = json.createObjectNode();
        for (Map.Entry<String, JsonNode> e : upTime.properties()) {
            if (!young.contains(e.getKey()) && e.getValue().isTextual()) {
                time.set(e.getKey(), e.getValue());
            }
        }
        ObjectNode tags = tags(up.path("dist-tags"), servable);
        full.set("dist-tags", tags);
        full.set("versions", versions);
        full.set("time", time);
        ObjectNode restrictions = restrictions(name, restricted, restrictedDocs);
        if (restrictions != null) {
            full.set("policyRestrictions", restrictions);
        }

        ObjectNode abbreviated = json.createObjectNode();
        abbreviated.put("name", name);
        String modified = time.path("modified").asText(in.fetched().toString());
        abbreviated.put("modified", modified);
        abbreviated.set("dist-tags", tags);
        abbreviated.set("versions", abbreviatedVersions);
        abbreviated.set("time", time);
        if (restrictions != null) {
            abbreviated.set("policyRestrictions", restrictions);
        }

        byte[] fullBytes = bytes(full);
        byte[] abbreviatedBytes = bytes(abbreviated);
        PackumentRecord record =
                new PackumentRecord(
                        name,
                        in.rev(),
                        fullBytes,
                        gzip(fullBytes),
                        etag(fullBytes),
                        abbreviatedBytes,
                        gzip(abbreviatedBytes),
                        etag(abbreviatedBytes));
        return new Rendered(record, full, restricted, young, ripens, swapped);
    }

    private ObjectNode versionDocument(
            String name, String v, ObjectNode upstream, Inputs in, Set<String> swapped) {
        ObjectNode doc = upstream.deepCopy();
        doc.remove("_warden");
        doc.remove("_log"); // the upstream's log entry, at the upstream's address
        doc.put("name", name);
        doc.put("version", v);
        JsonNode d = doc.get("dist");
        ObjectNode dist = d instanceof ObjectNode o ? o : doc.putObject("dist");
        dist.put("tarball", tarballUrl(name, v));
        if (dist.get("attestations") instanceof ObjectNode a) {
            a.put("url", publicUrl + "-/npm/v1/attestations/" + name + "@" + v);
        }
        Ingested ingested = in.ingested().get(v);
        if (ingested != null) {
            if (!ingested.integrity().equals(dist.path("integrity").asText(null))) {
                // Clients get the kept bytes, so they are told those bytes' integrity (the one this
                // registry signed) and nothing signed for another string. Only an integrity that
                // disagrees with the kept bytes (not sha1 or several hashes for them) is a change.
                if (!ingested.names(UpstreamVersion.upstreamIntegrity(dist))) {
                    swapped.add(v);
                }
                dist.put("integrity", ingested.integrity());
                dist.remove("shasum");
                dist.remove("signatures");
            }
            if (ingested.signature() != null) {
                ObjectNode own = dist.withArray("signatures").addObject();
                ingested.signature().forEach(own::put);
            }
            if (ingested.logIndex() != null) {
                // this registry's proxy.ingested statement of the kept bytes, as a local
                // version points to its publish entry: a reader checks the cache against it
                doc.putObject("_log")
                        .put("index", ingested.logIndex())
                        .put("url", publicUrl + "-/log/");
            }
        }
        JsonNode scripts = doc.path("scripts");
        if (INSTALL_SCRIPTS.stream().anyMatch(scripts::has)) {
            doc.put("hasInstallScript", true);
        }
        return doc;
    }

    private ObjectNode abbreviated(ObjectNode doc) {
        ObjectNode small = json.createObjectNode();
        for (String field : ABBREVIATED_FIELDS) {
            JsonNode value = doc.get(field);
            if (value != null) {
                small.set(field, value);
            }
        }
        return small;
    }

    /** The upstream's dist-tags, moved off versions that are not servable here. */
    private ObjectNode tags(JsonNode upstreamTags, List<Semver> servable) {
        servable.sort(null);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : upstreamTags.properties()) {
            Semver target = e.getValue().isTextual() ? Semver.parse(e.getValue().asText()) : null;
            if (target == null) {
                continue;
            }
            boolean pre = !target.getPreRelease().isEmpty();
            for (int i = servable.size() - 1; i >= 0; i--) {
                Semver s = servable.get(i);
                if (s.compareTo(target) <= 0 && (pre || s.getPreRelease().isEmpty())) {
                    out.put(e.getKey(), s.getVersion());
                    break;
                }
            }
        }
        if (!out.containsKey("latest") && !servable.isEmpty()) {
            Semver latest = servable.getLast();
            for (int i = servable.size() - 1; i >= 0; i--) {
                if (servable.get(i).getPreRelease().isEmpty()) {
                    latest = servable.get(i);
                    break;
                }
            }
            out.put("latest", latest.getVersion());
        }
        ObjectNode tags = json.createObjectNode();
        out.forEach(tags::put);
        return tags;
    }

    /** As warden-registry's packuments list them: npm-pick-manifest refuses these with E403. */
    private ObjectNode restrictions(
            String name, Map<String, String> restricted, Map<String, ObjectNode> docs) {
        if (restricted.isEmpty()) {
            return null;
        }
        ObjectNode out = json.createObjectNode();
        ObjectNode versions = out.putObject("versions");
        List<String> messages = new ArrayList<>();
        restricted.forEach(
                (v, reason) -> {
                    versions.set(v, docs.get(v));
                    messages.add(name + "@" + v + ": " + reason);
                });
        out.put("message", String.join("; ", messages));
        return out;
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String etag(byte[] bytes) {
        return DocumentBytes.etag(bytes);
    }

    static byte[] gzip(byte[] bytes) {
        return DocumentBytes.gzip(bytes);
    }
}
