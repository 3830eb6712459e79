package dev.warden.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;
import dev.warden.provenance.sigstore.NpmProvenance;
import dev.warden.provenance.sigstore.VerificationFailure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The outcome of verifying a provenance bundle, kept in the cache. A bundle's verification depends
 * only on its bytes, the tarball's digests, the name, version and repository it is bound to, and
 * the trust material (its verified times come from the bundle, not the clock); so the outcome is
 * kept under a digest of all of them, and a later run under the same trust reads it instead of
 * checking every signature again. Changed trust material (a rotated root, a revoked key) is another
 * key: the bundle is verified afresh. The policy's rules (pins, issuers) are judged on the kept
 * facts every run.
 */
final class ProvenanceVerdicts {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A verified bundle's facts, or why it did not verify. */
    record Verdict(NpmProvenance facts, String failure) {}

    private final FetchCache cache;

    ProvenanceVerdicts(FetchCache cache) {
        this.cache = cache;
    }

    Verdict verdict(
            String trust,
            byte[] bundle,
            String name,
            String version,
            Integrity.Digests digests,
            String repositoryUrl,
            Supplier<NpmProvenance> verify) {
        String key =
                sha256(
                        String.join(
                                "\n",
                                trust,
                                sha256(bundle),
                                name,
                                version,
                                digests.sha512(),
                                repositoryUrl == null ? "" : repositoryUrl));
        Verdict known = cache.fact("provenance", key).map(ProvenanceVerdicts::parse).orElse(null);
        if (known != null) {
            return known;
        }
        Verdict made;
        try {
            made = new Verdict(verify.get(), null);
        } catch (VerificationFailure e) {
            made = new Verdict(null, "provenance does not verify: " + e.getMessage());
        } catch (RuntimeException e) {
            made = new Verdict(null, "provenance bundle cannot be read: " + e.getMessage());
        }
        cache.putFact("provenance", key, write(made));
        return made;
    }

    private static String write(Verdict v) {
        ObjectNode n = JSON.createObjectNode();
        if (v.failure() != null) {
            n.put("failure", v.failure());
        } else {
            n.setAll((ObjectNode) JSON.valueToTree(v.facts().summary()));
        }
        return n.toString();
    }

    /** A kept verdict, or null when the entry cannot be read (then it is made again). */
    private static Verdict parse(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n.hasNonNull("failure")) {
                return new Verdict(null, n.get("failure").asText());
            }
            if (!n.hasNonNull("sourceRepository") || !n.hasNonNull("issuer")) {
                return null;
            }
            return new Verdict(NpmProvenance.fromSummary(n), null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] b) {
        return Digests.sha256Hex(b);
    }
}
