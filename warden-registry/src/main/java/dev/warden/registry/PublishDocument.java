package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;
import dev.warden.common.Problem;

import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An npm publish document ({@code PUT /:pkg}) read and checked for shape: exactly one version, its
 * manifest naming it, the tarball attachment decoded and its digests matching what the manifest
 * claims, the dist-tags and access asked for. Nothing here reads storage.
 */
record PublishDocument(
        PackageName name,
        String version,
        ObjectNode manifest,
        byte[] tarball,
        byte[] sha512,
        String integrity,
        String shasum,
        Map<String, String> tags,
        String access) {

    /** Reads {@code body} as a publish of {@code urlName}; a 400 names the first thing wrong. */
    static PublishDocument read(String urlName, ObjectNode body) {
        PackageName name = PackageName.parse(urlName);
        String bodyName = body.path("name").asText(null);
        if (bodyName != null && !bodyName.equals(name.full())) {
            throw Problem.badRequest(
                    "package name in the body ("
                            + clip(bodyName)
                            + ") does not match the URL ("
                            + name
                            + ")");
        }
        JsonNode versionsNode = body.get("versions");
        if (!(versionsNode instanceof ObjectNode versionMap) || versionMap.size() != 1) {
            throw Problem.badRequest("a publish must carry exactly one version in \"versions\"");
        }
        String version = versionMap.fieldNames().next();
        VersionNumber.check(version);
        if (!(versionMap.get(version) instanceof ObjectNode manifest)) {
            throw Problem.badRequest("version " + clip(version) + " must be a JSON object");
        }
        if (!name.full().equals(manifest.path("name").asText())
                || !version.equals(manifest.path("version").asText())) {
            throw Problem.badRequest(
                    "the manifest's name and version must be " + name + " and " + version);
        }
        byte[] tarball = attachment(body, name, version);
        byte[] sha512 = Digests.digest("SHA-512", tarball);
        String integrity = Digests.sri512(sha512);
        String shasum = Digests.hex(Digests.digest("SHA-1", tarball));
        checkIntegrity(manifest.path("dist"), integrity, sha512, shasum);
        return new PublishDocument(
                name,
                version,
                manifest,
                tarball,
                sha512,
                integrity,
                shasum,
                requestedTags(body, version),
                accessOf(body, name));
    }

    /** Where the tarball is stored: its sha512, in hex. */
    String blobKey() {
        return Digests.hex(sha512);
    }

    private static byte[] attachment(ObjectNode body, PackageName name, String version) {
        JsonNode attachments = body.get("_attachments");
        if (!(attachments instanceof ObjectNode map) || map.isEmpty()) {
            throw Problem.badRequest("a publish must carry the tarball in \"_attachments\"");
        }
        String expected = name.full() + "-" + version + ".tgz";
        String bundle = name.full() + "-" + version + ".sigstore";
        for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals(expected) && !k.equals(bundle)) {
                throw Problem.badRequest(
                        "attachment must be named "
                                + expected
                                + " (and optionally "
                                + bundle
                                + "), not "
                                + clip(k));
            }
        }
        if (!map.has(expected)) {
            throw Problem.badRequest("attachment must be named " + expected);
        }
        String key = expected;
        JsonNode data = map.get(key).get("data");
        if (data == null || !data.isTextual()) {
            throw Problem.badRequest("attachment " + expected + " has no base64 \"data\"");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data.asText());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("attachment data is not valid base64");
        }
        JsonNode length = map.get(key).get("length");
        if (length != null && length.isNumber() && length.asLong() != bytes.length) {
            throw Problem.badRequest(
                    "attachment length "
                            + length.asLong()
                            + " does not match its data ("
                            + bytes.length
                            + " bytes)");
        }
        if (bytes.length == 0) {
            throw Problem.badRequest("attachment is empty");
        }
        return bytes;
    }

    private static void checkIntegrity(
            JsonNode dist, String integrity, byte[] sha512, String shasum) {
        String claimed = dist.path("integrity").asText("");
        String claimedSha1 = dist.path("shasum").asText("");
        if (claimed.isEmpty() && claimedSha1.isEmpty()) {
            throw Problem.badRequest("dist.integrity is required");
        }
        if (!claimed.isEmpty()) {
            boolean anySha512 = false;
            for (String part : claimed.trim().split("\\s+")) {
                if (part.startsWith("sha512-")) {
                    anySha512 = true;
                    String claimedB64 = part.substring("sha512-".length()).replaceAll("\\?.*$", "");
                    byte[] claimedBytes;
                    try {
                        claimedBytes = Base64.getDecoder().decode(claimedB64);
                    } catch (IllegalArgumentException e) {
                        throw Problem.badRequest(
                                "dist.integrity is not a valid sha512 integrity string");
                    }
                    if (!Digests.constantTimeEquals(claimedBytes, sha512)) {
                        throw Problem.badRequest(
                                "integrity mismatch: dist.integrity says "
                                        + clip(part)
                                        + " but the tarball is "
                                        + integrity);
                    }
                }
            }
            if (!anySha512) {
                throw Problem.badRequest("dist.integrity must include a sha512 hash");
            }
        }
        if (!claimedSha1.isEmpty() && !claimedSha1.equalsIgnoreCase(shasum)) {
            throw Problem.badRequest(
                    "shasum mismatch: dist.shasum says "
                            + clip(claimedSha1)
                            + " but the tarball is "
                            + shasum);
        }
    }

    private static Map<String, String> requestedTags(ObjectNode body, String version) {
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode node = body.get("dist-tags");
        if (node != null && !node.isObject()) {
            throw Problem.badRequest("\"dist-tags\" must be an object");
        }
        if (node != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                checkTag(e.getKey());
                if (!version.equals(e.getValue().asText())) {
                    throw Problem.badRequest(
                            "dist-tag "
                                    + clip(e.getKey())
                                    + " must point to the version being published");
                }
                tags.put(e.getKey(), version);
            }
        }
        return tags;
    }

    private static String accessOf(ObjectNode body, PackageName name) {
        JsonNode access = body.get("access");
        if (access == null || access.isNull()) {
            return "public";
        }
        String value = access.asText();
        if (!value.equals("public") && !value.equals("restricted")) {
            throw Problem.badRequest("access must be \"public\" or \"restricted\"");
        }
        if (value.equals("restricted") && name.scope() == null) {
            throw Problem.badRequest("only scoped packages can be restricted");
        }
        return value;
    }

    private static void checkTag(String tag) {
        DistTags.checkTag(tag);
    }

    private static String clip(String s) {
        return Problem.clip(s);
    }
}
