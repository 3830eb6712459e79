package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;
import dev.warden.common.DocumentBytes;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.Versions.VersionRecord;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a package's documents once per change: the full packument ({@code application/json}) and
 * the abbreviated one ({@code application/vnd.npm.install-v1+json}), each with its gzip form and
 * entity tag, so that serving them is a lookup.
 */
final class PackumentBuilder {

    /** Version fields kept in the abbreviated document (what installers need to resolve a tree). */
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

    /** Top-level fields copied from the latest version into the full document. */
    private static final List<String> FROM_LATEST =
            List.of(
                    "description",
                    "homepage",
                    "keywords",
                    "repository",
                    "author",
                    "bugs",
                    "license",
                    "readme",
                    "readmeFilename");

    private static final Set<String> INSTALL_SCRIPTS =
            Set.of("preinstall", "install", "postinstall");

    /** Inputs: everything a packument shows. */
    record Inputs(
            PackageRecord pkg,
            List<VersionRecord> versions,
            Map<String, String> tags,
            List<Map.Entry<String, String>> maintainers,
            List<String> stars,
            Map<String, Long> logIndexes,
            Map<String, String> quarantined,
            Map<String, String> withheld) {}

    private final ObjectMapper json;
    private final String baseUrl;

    PackumentBuilder(ObjectMapper json, String baseUrl) {
        this.json = json;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    static String rev(String name, long rev) {
        return rev
                + "-"
                + Digests.sha256Hex((name + ":" + rev).getBytes(StandardCharsets.UTF_8))
                        .substring(0, 32);
    }

    String tarballUrl(PackageName name, String version) {
        return baseUrl + "/" + name.full() + "/-/" + name.tarballFile(version);
    }

    /**
     * The version document as served: stored manifest (its URLs checked) plus dist, deprecation and
     * install-script facts.
     */
    ObjectNode versionDocument(VersionRecord v) {
        ObjectNode doc;
        try {
            doc = (ObjectNode) json.readTree(v.manifest());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        SafeUrls.clean(
                doc); // homepage, bugs, repository, funding and people's URLs that are neither
        // links nor a repository's are not served
        PackageName name = PackageName.parse(v.name());
        ObjectNode dist = json.createObjectNode();
        dist.put("integrity", v.integrity());
        dist.put("shasum", v.shasum());
        dist.put("tarball", tarballUrl(name, v.version()));
        dist.put("fileCount", v.fileCount());
        dist.put("unpackedSize", v.unpackedSize());
        JsonNode signatures = doc.remove("_signatures");
        if (signatures != null && signatures.isArray()) {
            dist.set("signatures", signatures);
        }
        JsonNode attestations = doc.remove("_attestations");
        if (attestations != null && attestations.hasNonNull("predicateType")) {
            // npm's form: where the attestations are, and the kind of provenance among them.
            ObjectNode a = dist.putObject("attestations");
            a.put("url", baseUrl + "/-/npm/v1/attestations/" + name.full() + "@" + v.version());
            a.putObject("provenance")
                    .put("predicateType", attestations.get("predicateType").asText());
        }
        doc.set("dist", dist);
        if (v.deprecated() != null && !v.deprecated().isEmpty()) {
            doc.put("deprecated", v.deprecated());
        } else {
            doc.remove("deprecated");
        }
        JsonNode scripts = doc.path("scripts");
        if (INSTALL_SCRIPTS.stream().anyMatch(scripts::has)) {
            doc.put("hasInstallScript", true);
        } else {
            doc.remove("hasInstallScript");
        }
        return doc;
    }

    PackumentRecord build(Inputs in) {
        String name = in.pkg().name();
        ObjectNode full = json.createObjectNode();
        full.put("_id", name);
        full.put("_rev", rev(name, in.pkg().rev()));
        full.put("name", name);
        ObjectNode tags = json.createObjectNode();
        in.tags().forEach(tags::put);

        ObjectNode versions = json.createObjectNode();
        ObjectNode abbreviatedVersions = json.createObjectNode();
        ObjectNode time = json.createObjectNode();
        time.put("created", in.pkg().created().toString());
        time.put("modified", in.pkg().modified().toString());
        ObjectNode latestDoc = null;
        String latest = in.tags().get("latest");
        for (VersionRecord v : in.versions()) {
            time.put(v.version(), v.published().toString());
            if (!v.live() || in.withheld().containsKey(v.version())) {
                continue;
            }
            ObjectNode doc = versionDocument(v);
            Long logIndex = in.logIndexes().get(v.version());
            if (logIndex != null) {
                // Where the registry's signed statement of this publish is in its transparency log.
                doc.putObject("_log").put("index", logIndex).put("url", baseUrl + "/-/log/");
            }
            if (v.version().equals(latest)) {
                latestDoc = doc.deepCopy();
            }
            doc.remove("readme");
            doc.remove("readmeFilename");
            versions.set(v.version(), doc);
            ObjectNode small = json.createObjectNode();
            for (String field : ABBREVIATED_FIELDS) {
                JsonNode value = doc.get(field);
                if (value != null) {
                    small.set(field, value);
                }
            }
            abbreviatedVersions.set(v.version(), small);
        }
        full.set("dist-tags", tags);
        full.set("versions", versions);
        full.set("time", time);
        ArrayNode maintainers = full.putArray("maintainers");
        for (Map.Entry<String, String> m : in.maintainers()) {
            maintainers.addObject().put("name", m.getKey()).put("email", m.getValue());
        }
        if (latestDoc != null) {
            for (String field : FROM_LATEST) {
                JsonNode value = latestDoc.get(field);
                if (value != null) {
                    full.set(field, value);
                }
            }
        }
        if (!full.has("readme")) {
            full.put("readme", "");
        }
        ObjectNode users = full.putObject("users");
        in.stars().forEach(u -> users.put(u, true));
        Map<String, String> quarantined = new java.util.TreeMap<>(in.quarantined());
        quarantined.putAll(in.withheld());
        ObjectNode restrictions = restrictions(name, quarantined, versions);
        if (restrictions != null) {
            full.set("policyRestrictions", restrictions);
        }

        ObjectNode abbreviated = json.createObjectNode();
        abbreviated.put("name", name);
        abbreviated.put("modified", in.pkg().modified().toString());
        abbreviated.set("dist-tags", tags);
        abbreviated.set("versions", abbreviatedVersions);
        abbreviated.set("time", time);
        if (restrictions != null) {
            abbreviated.set("policyRestrictions", restrictions);
        }

        byte[] fullBytes = bytes(full);
        byte[] abbreviatedBytes = bytes(abbreviated);
        return new PackumentRecord(
                name,
                in.pkg().rev(),
                fullBytes,
                gzip(fullBytes),
                etag(fullBytes),
                abbreviatedBytes,
                gzip(abbreviatedBytes),
                etag(abbreviatedBytes));
    }

    /**
     * Quarantined versions as npm-pick-manifest reads them: npm then refuses to install one with
     * "Could not download ... due to policy violations" and the message, where it would otherwise
     * say only that no such version exists. A version that went live since is not restricted; a
     * live version malware reports withhold is left out of {@code versions} and restricted, so a
     * range resolves to another version and naming it prints why.
     *
     * @param quarantined version to what a reader is told of it
     */
    private ObjectNode restrictions(String name, Map<String, String> quarantined, ObjectNode live) {
        ObjectNode versions = json.createObjectNode();
        List<String> messages = new java.util.ArrayList<>();
        quarantined.forEach(
                (version, message) -> {
                    if (!live.has(version)) {
                        versions.putObject(version).put("name", name).put("version", version);
                        messages.add(message);
                    }
                });
        if (versions.isEmpty()) {
            return null;
        }
        ObjectNode out = json.createObjectNode();
        out.set("versions", versions);
        out.put("message", String.join("\n", messages));
        return out;
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
