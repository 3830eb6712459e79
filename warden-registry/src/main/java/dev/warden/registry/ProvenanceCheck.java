package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;
import dev.warden.provenance.sigstore.BundleVerifier;
import dev.warden.provenance.sigstore.NpmProvenance;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.provenance.sigstore.VerificationFailure;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Provenances.ProvenanceRecord;
import dev.warden.storage.TrustedPublishers.TrustRecord;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Provenance at publish and after: the Sigstore bundle a publish carries is verified completely
 * before the version goes live ({@link #check}); once a package has published with provenance, a
 * release without it or built elsewhere is held for maintainer approval ({@link #continuity}); the
 * bundle is kept whole with the registry's publish attestation and served as npm's attestations
 * ({@link #attestations}).
 */
final class ProvenanceCheck {

    static final String PUBLISH_PREDICATE =
            "https://github.com/npm/attestation/tree/main/specs/publish/v0.1";

    /** A provenance bundle is a few KB; anything this large is not one. */
    static final int MAX_BUNDLE = 256 * 1024;

    /** A verified provenance bundle: the build facts and the bundle as sent. */
    record Checked(NpmProvenance facts, String bundle) {}

    private final MetadataStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Supplier<TrustRoot> trust;
    private final BiPredicate<String, String> issuerOfType;
    private final Registry.VersionSigner signer;
    private final String publicUrl;

    /** The verifier of the last trust root read: rebuilt only when the root changes. */
    private volatile BundleVerifier verifier;

    private volatile TrustRoot verifierRoot;

    ProvenanceCheck(
            MetadataStore store,
            ObjectMapper json,
            Clock clock,
            Supplier<TrustRoot> trust,
            BiPredicate<String, String> issuerOfType,
            Registry.VersionSigner signer,
            String publicUrl) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.trust = trust;
        this.issuerOfType = issuerOfType;
        this.signer = signer;
        this.publicUrl = publicUrl;
    }

    private BundleVerifier verifier() {
        TrustRoot root = trust.get();
        BundleVerifier v = verifier;
        if (v == null || root != verifierRoot) {
            v = new BundleVerifier(root, clock);
            verifier = v;
            verifierRoot = root;
        }
        return v;
    }

    /** The public CI issuers, when no configuration names others. */
    static boolean publicIssuer(String type, String issuer) {
        return switch (type) {
            case "github" -> issuer.equals("https://token.actions.githubusercontent.com");
            case "gitlab" -> issuer.equals("https://gitlab.com");
            case "circleci" -> issuer.startsWith("https://oidc.circleci.com/org/");
            default -> false;
        };
    }

    /**
     * Verifies the publish's provenance bundle, if it carries one; a bundle that does not verify
     * refuses the publish.
     */
    Checked check(
            ObjectNode body,
            PackageName name,
            String version,
            byte[] tarball,
            JsonNode packageJson,
            Optional<TrustRecord> trusted) {
        JsonNode attachment =
                body.path("_attachments").path(name.full() + "-" + version + ".sigstore");
        if (attachment.isMissingNode()) {
            return null;
        }
        String bundle = bundleText(attachment);
        NpmProvenance.Publisher publisher = trusted.map(this::publisher).orElse(null);
        JsonNode repo = packageJson.path("repository");
        String repositoryUrl = repo.isTextual() ? repo.asText() : repo.path("url").asText(null);
        try {
            NpmProvenance facts =
                    NpmProvenance.check(
                            verifier(),
                            bundle.getBytes(StandardCharsets.UTF_8),
                            name.full(),
                            version,
                            tarball,
                            publisher,
                            issuerOfType,
                            repositoryUrl);
            return new Checked(facts, bundle);
        } catch (VerificationFailure e) {
            throw Problem.badRequest(
                    "provenance of "
                            + name
                            + "@"
                            + version
                            + " does not verify: "
                            + e.getMessage());
        }
    }

    private static String bundleText(JsonNode attachment) {
        JsonNode data = attachment.get("data");
        if (data == null || !data.isTextual() || data.asText().isEmpty()) {
            throw Problem.badRequest(
                    "provenance attachment has no \"data\": it must hold the Sigstore bundle");
        }
        String text = data.asText();
        if (text.length() > MAX_BUNDLE) {
            throw Problem.tooLarge("provenance bundle is larger than " + MAX_BUNDLE + " bytes");
        }
        if (text.startsWith("{")) {
            return text; // what npm sends: the bundle's JSON itself
        }
        try {
            return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(
                    "provenance attachment \"data\" is neither a JSON Sigstore bundle nor base64 of"
                            + " one");
        }
    }

    private NpmProvenance.Publisher publisher(TrustRecord t) {
        JsonNode claims;
        try {
            claims = json.readTree(t.claims());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        String repository =
                switch (t.type()) {
                    case "github" -> claims.path("repository").asText();
                    case "gitlab" -> claims.path("project_path").asText();
                    default ->
                            claims.path("oidc.circleci.com/vcs-origin")
                                    .asText()
                                    .replaceFirst("^[^/]+/", "");
                };
        return new NpmProvenance.Publisher(t.type(), repository);
    }

    /**
     * Why a release must wait for a maintainer although no policy stages it: the package's last
     * release with provenance and this one differ in source repository, workflow, builder or
     * runner, or this one has none. Null when the release continues the line.
     */
    static String continuity(
            Optional<ProvenanceRecord> last, PackageName name, Checked checked, ObjectMapper json) {
        if (last.isEmpty()) {
            return null;
        }
        JsonNode before;
        try {
            before = json.readTree(last.get().facts());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        String was =
                last.get().version()
                        + " was built from "
                        + before.path("sourceRepository").asText()
                        + " by "
                        + before.path("workflow").asText();
        if (checked == null) {
            return "it has no provenance, but " + name + " publishes with provenance (" + was + ")";
        }
        List<String> changes = checked.facts().differences(facts(before));
        return changes.isEmpty()
                ? null
                : "its build differs from "
                        + last.get().version()
                        + "'s: "
                        + String.join("; ", changes);
    }

    /**
     * The stored provenance of a release going live, with the registry's publish attestation signed
     * now.
     */
    ProvenanceRecord record(Release r, Instant now) {
        Release.Provenance c = r.provenance();
        return new ProvenanceRecord(
                r.name().full(),
                r.version(),
                c.predicateType(),
                c.bundle(),
                write(c.summary()),
                publishAttestation(r),
                now);
    }

    /** The build facts as they are stored, logged and shown. */
    static Map<String, Object> summary(NpmProvenance f) {
        return f.summary();
    }

    private static NpmProvenance facts(JsonNode n) {
        return NpmProvenance.fromSummary(n);
    }

    /**
     * npm's publish attestation: an in-toto statement that this registry published exactly this
     * tarball as {@code name@version}, in a DSSE envelope signed with the registry key that {@code
     * GET /-/npm/v1/keys} lists (the bundle names it by key id).
     */
    private String publishAttestation(Release p) {
        if (signer == null) {
            return "";
        }
        ObjectNode statement = json.createObjectNode();
        statement.put("_type", "https://in-toto.io/Statement/v1");
        ObjectNode subject = statement.putArray("subject").addObject();
        subject.put("name", NpmProvenance.purl(p.name().full(), p.version()));
        subject.putObject("digest").put("sha512", p.blobKey());
        statement.put("predicateType", PUBLISH_PREDICATE);
        statement
                .putObject("predicate")
                .put("name", p.name().full())
                .put("version", p.version())
                .put("registry", publicUrl);
        byte[] payload = write(statement).getBytes(StandardCharsets.UTF_8);
        String type = "application/vnd.in-toto+json";
        String pae =
                "DSSEv1 "
                        + type.length()
                        + " "
                        + type
                        + " "
                        + payload.length
                        + " "
                        + new String(payload, StandardCharsets.UTF_8);
        Map<String, String> sig = signer.sign(pae);
        ObjectNode bundle = json.createObjectNode();
        bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        ObjectNode vm = bundle.putObject("verificationMaterial");
        vm.putObject("publicKey").put("hint", sig.get("keyid"));
        vm.putArray("tlogEntries");
        ObjectNode env = bundle.putObject("dsseEnvelope");
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        env.put("payloadType", type);
        env.putArray("signatures")
                .addObject()
                .put("sig", sig.get("sig"))
                .put("keyid", sig.get("keyid"));
        return write(bundle);
    }

    /**
     * {@code GET /-/npm/v1/attestations/name@version}: the SLSA provenance and the publish
     * attestation, as npm serves them.
     */
    Optional<ObjectNode> attestations(String name, String version) {
        return store.read(
                        tx ->
                                tx.versions()
                                        .find(name, version)
                                        .filter(v -> v.live())
                                        .flatMap(v -> tx.provenances().find(name, version)))
                .map(
                        r -> {
                            ObjectNode out = json.createObjectNode();
                            ArrayNode list = out.putArray("attestations");
                            if (!r.publishAttestation().isEmpty()) {
                                list.addObject()
                                        .put("predicateType", PUBLISH_PREDICATE)
                                        .set("bundle", read(r.publishAttestation()));
                            }
                            list.addObject()
                                    .put("predicateType", r.predicateType())
                                    .set("bundle", read(r.bundle()));
                            return out;
                        });
    }

    /** The build facts of a live version with provenance (for the package page). */
    Optional<JsonNode> facts(String name, String version) {
        return store.read(tx -> tx.provenances().find(name, version)).map(r -> read(r.facts()));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
