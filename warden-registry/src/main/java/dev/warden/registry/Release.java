package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A release checked and inspected, its tarball stored: everything that making it live needs, and
 * nothing the registry vouches for yet (no signature, no publisher, no maintainers: those are
 * written when it goes live). A staged release keeps this with its stage, so that approving it
 * makes live exactly what was reviewed, without inspecting it again.
 *
 * @param served the manifest as it will be served (reconciled with the tarball's package.json)
 * @param differences where the uploaded manifest disagreed with the tarball, or null
 * @param tags the dist-tags the publish asked for
 * @param provenance the verified provenance, or null
 * @param review what the release review decided, or null (a release staged before reviews)
 */
record Release(
        PackageName name,
        String version,
        ObjectNode served,
        String integrity,
        String shasum,
        String blobKey,
        long size,
        int fileCount,
        long unpackedSize,
        ObjectNode differences,
        Map<String, String> tags,
        String access,
        Provenance provenance,
        ReviewVerdict review) {

    /**
     * A verified provenance bundle: its predicate, the bundle as sent, and the build facts as
     * stored and logged.
     */
    record Provenance(String predicateType, String bundle, ObjectNode summary) {}

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("name", name.full());
        o.put("version", version);
        o.set("served", served);
        o.put("integrity", integrity);
        o.put("shasum", shasum);
        o.put("blobKey", blobKey);
        o.put("size", size);
        o.put("fileCount", fileCount);
        o.put("unpackedSize", unpackedSize);
        if (differences != null) {
            o.set("differences", differences);
        }
        o.set("tags", json.valueToTree(tags));
        o.put("access", access);
        if (provenance != null) {
            ObjectNode p = o.putObject("provenance");
            p.put("predicateType", provenance.predicateType());
            p.put("bundle", provenance.bundle());
            p.set("summary", provenance.summary());
        }
        if (review != null) {
            o.set("review", review.toStoredJson(json));
        }
        return o;
    }

    static Release fromJson(JsonNode o) {
        Map<String, String> tags = new LinkedHashMap<>();
        o.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        JsonNode p = o.get("provenance");
        return new Release(
                PackageName.parse(o.path("name").asText()),
                o.path("version").asText(),
                ((ObjectNode) o.get("served")).deepCopy(),
                o.path("integrity").asText(),
                o.path("shasum").asText(),
                o.path("blobKey").asText(),
                o.path("size").asLong(),
                o.path("fileCount").asInt(),
                o.path("unpackedSize").asLong(),
                o.get("differences") instanceof ObjectNode d ? d.deepCopy() : null,
                tags,
                o.path("access").asText("public"),
                p == null
                        ? null
                        : new Provenance(
                                p.path("predicateType").asText(),
                                p.path("bundle").asText(),
                                ((ObjectNode) p.get("summary")).deepCopy()),
                o.hasNonNull("review") ? ReviewVerdict.fromJson(o.get("review")) : null);
    }

    Release withReview(ReviewVerdict verdict) {
        return new Release(
                name,
                version,
                served,
                integrity,
                shasum,
                blobKey,
                size,
                fileCount,
                unpackedSize,
                differences,
                tags,
                access,
                provenance,
                verdict);
    }
}
