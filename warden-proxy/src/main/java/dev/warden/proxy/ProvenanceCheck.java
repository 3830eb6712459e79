package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.provenance.sigstore.BundleVerifier;
import dev.warden.provenance.sigstore.NpmProvenance;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.verify.Integrity;
import dev.warden.verify.PublishAttestation;
import dev.warden.verify.report.Finding;
import dev.warden.verify.report.Status;
import dev.warden.verify.trust.RegistryTrust;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An upstream version's attestations, verified offline as npm's client would: the SLSA provenance
 * bundle against Sigstore's public-good root (plus, for a Warden uplink, the instance's root from
 * its TUF repository) and bound to this tarball by {@link NpmProvenance} (subject {@code
 * pkg:npm/<name>@<version>} with the tarball's sha512, the repository its manifest names); the
 * publish attestation against the uplink's registry keys. The attestations document is kept
 * unchanged, to be served next to the version.
 */
final class ProvenanceCheck {

    private static final long ATTESTATIONS_LIMIT = 8L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the attestations showed. */
    sealed interface Result {}

    /** The version has no attestations. */
    record None() implements Result {}

    /**
     * Verified.
     *
     * @param provenance the build's facts, or null when only a publish attestation was given
     * @param publishKeyid the key of the verified publish attestation, or null when there is none
     * @param document the uplink's attestations document, unchanged
     */
    record Verified(NpmProvenance provenance, String publishKeyid, byte[] document)
            implements Result {}

    /** Something does not hold; the reason says what was expected and what was found. */
    record Failed(String reason, byte[] document) implements Result {}

    private final Upstream upstream;
    private final TrustRoot root;
    private final Clock clock;
    private final Map<String, BundleVerifier> verifiers = new ConcurrentHashMap<>();

    /**
     * @param root the Sigstore roots every provenance may be signed under (public-good), to which
     *     an uplink's own instance root is added
     */
    ProvenanceCheck(Upstream upstream, TrustRoot root, Clock clock) {
        this.upstream = upstream;
        this.root = root;
        this.clock = clock;
    }

    /**
     * Checks the attestations the version's {@code dist.attestations} announces.
     *
     * @throws IOException when the uplink cannot be reached or answers 429 or 5xx (nothing is
     *     decided then)
     */
    Result check(
            Uplink uplink,
            String name,
            String version,
            JsonNode versionDoc,
            Integrity.Digests digests,
            RegistryTrust trust)
            throws IOException, InterruptedException {
        JsonNode announced = versionDoc.path("dist").path("attestations");
        if (!announced.isObject()) {
            return new None();
        }
        // As npm does: the path the packument gives, on the uplink's own origin.
        URI uri;
        try {
            uri = UpstreamVersion.attestationsUri(uplink, announced.path("url").asText(""));
        } catch (IllegalArgumentException e) {
            return new Failed(
                    "dist.attestations.url of uplink " + uplink.name() + " is not a URL", null);
        }
        Upstream.Response r =
                upstream.get(uplink, uri, "application/json", null, ATTESTATIONS_LIMIT);
        if (r.status() == 429 || r.status() >= 500) {
            // Temporary: nothing is decided, and the next request asks again.
            throw new IOException(
                    "uplink "
                            + uplink.name()
                            + " answered "
                            + r.status()
                            + " for its attestations");
        }
        if (r.status() != 200) {
            return new Failed(
                    "the packument announces attestations, but uplink "
                            + uplink.name()
                            + " answered "
                            + r.status()
                            + " for "
                            + uri.getRawPath(),
                    null);
        }
        byte[] document = r.body();
        JsonNode doc;
        try {
            doc = JSON.readTree(document);
        } catch (IOException e) {
            return new Failed(
                    "the attestations of uplink " + uplink.name() + " are not JSON", null);
        }
        JsonNode provenance = null;
        JsonNode publish = null;
        for (JsonNode a : doc == null ? JSON.createArrayNode() : doc.path("attestations")) {
            String type = a.path("predicateType").asText("");
            if (type.equals(PublishAttestation.PREDICATE)) {
                publish = a.path("bundle");
            } else if (type.startsWith("https://slsa.dev/provenance/")) {
                provenance = a.path("bundle");
            }
        }
        if (provenance == null && announced.path("provenance").isObject()) {
            return new Failed(
                    "the packument announces provenance, but the attestations of uplink "
                            + uplink.name()
                            + " hold none",
                    document);
        }
        NpmProvenance facts = null;
        if (provenance != null) {
            JsonNode repo = versionDoc.path("repository");
            String repositoryUrl = repo.isTextual() ? repo.asText() : repo.path("url").asText(null);
            try {
                facts =
                        NpmProvenance.check(
                                verifier(trust),
                                provenance.toString().getBytes(StandardCharsets.UTF_8),
                                name,
                                version,
                                digests.sha256Bytes(),
                                digests.sha512Hex(),
                                null,
                                (type, issuer) -> true,
                                repositoryUrl);
            } catch (RuntimeException e) {
                return new Failed("provenance does not verify: " + e.getMessage(), document);
            }
        }
        String keyid = null;
        if (publish != null) {
            Finding f =
                    PublishAttestation.check(
                            publish, name, version, digests.sha512Hex(), trust.registryKeys());
            if (f.status() != Status.PASS) {
                return new Failed(f.message(), document);
            }
            keyid = keyidOf(publish);
        }
        return new Verified(facts, keyid, document);
    }

    private static String keyidOf(JsonNode publishBundle) {
        return publishBundle
                .path("dsseEnvelope")
                .path("signatures")
                .path(0)
                .path("keyid")
                .asText(
                        publishBundle
                                .path("verificationMaterial")
                                .path("publicKey")
                                .path("hint")
                                .asText(""));
    }

    /** One verifier per trust material (its roots parsed once). */
    private BundleVerifier verifier(RegistryTrust trust) {
        return verifiers.computeIfAbsent(
                trust.fingerprint(),
                k -> new BundleVerifier(root.and(trust.sigstoreRoot()), clock));
    }
}
