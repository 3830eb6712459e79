package dev.warden.provenance.sigstore;

import dev.sigstore.proto.bundle.v1.Bundle;
import dev.sigstore.proto.rekor.v1.TransparencyLogEntry;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies Sigstore bundles (media types v0.1 to v0.3) offline against a {@link TrustRoot},
 * following the Sigstore client specification. {@link #verify} reads as its checklist:
 *
 * <ol>
 *   <li>the bundle is well formed for its version (v0.1 needs a signed entry timestamp, later
 *       versions an inclusion proof with a checkpoint, v0.3 a single certificate or a key);
 *   <li>the signature (over the artifact, or over the DSSE envelope's PAE) verifies with the
 *       certificate's or the managed key;
 *   <li>every transparency-log entry is from a trusted log, records exactly this signature, key and
 *       digest, has a valid signed entry timestamp and/or an inclusion proof that reaches a
 *       checkpoint signed by that log;
 *   <li>RFC 3161 timestamps are over this signature and signed by a trusted timestamp authority;
 *   <li>at every verified time (integrated times from signed entry timestamps, timestamp-authority
 *       times) the signing certificate chains to a trusted Fulcio CA whose window and certificates
 *       cover it, and the certificate carries a valid SCT from a trusted CT log;
 *   <li>the certificate's identity and issuer are those the policy asks for, and a DSSE statement
 *       names the artifact among its subjects.
 * </ol>
 *
 * It is thread-safe and keeps no state between bundles.
 *
 * <p>Each step is its own class: {@link BundleFormat} (parsing, what each version must carry),
 * {@link BundleSignature} (the signer, the signature, the in-toto subject), {@link TlogEntries},
 * {@link Timestamps}, {@link CertificateChain} and {@link Scts}.
 */
public final class BundleVerifier {

    /** Who must have signed. */
    public sealed interface Policy {}

    /** A Fulcio certificate for exactly this identity (SAN) from exactly this OIDC issuer. */
    public record Identity(String identity, String issuer) implements Policy {}

    /** A managed key instead of a certificate. */
    public record Key(PublicKey key) implements Policy {
        public static Key pem(String pem) {
            return new Key(Crypto.pemPublicKey(pem));
        }
    }

    /**
     * Any certificate from a trusted CA: the caller checks the identity in {@link
     * Verified#certificate()}, and what a DSSE statement says about the artifact, itself (as npm's
     * provenance rules do).
     */
    public record AnyCertificate() implements Policy {}

    /** What was signed: the artifact's bytes, or only its SHA-256 digest. */
    public record Artifact(byte[] bytes, byte[] sha256) {
        public static Artifact of(byte[] bytes) {
            return new Artifact(bytes, Crypto.sha256(bytes));
        }

        public static Artifact digest(byte[] sha256) {
            return new Artifact(null, sha256.clone());
        }
    }

    /**
     * A verified bundle: the signer (null for a managed key), the DSSE content if any, the verified
     * times and log entries.
     */
    public record Verified(
            SigningCertificate certificate,
            Dsse dsse,
            List<Instant> times,
            List<TransparencyLogEntry> entries) {}

    private final TrustRoot root;
    private final Clock clock;

    public BundleVerifier(TrustRoot root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** Parses a bundle's JSON into Sigstore's protobuf model. */
    public static Bundle parse(byte[] json) {
        return BundleFormat.parse(json);
    }

    public Verified verify(byte[] bundleJson, Artifact artifact, Policy policy) {
        return verify(parse(bundleJson), artifact, policy);
    }

    public Verified verify(Bundle bundle, Artifact artifact, Policy policy) {
        int version = BundleFormat.structure(bundle);
        var material = bundle.getVerificationMaterial();

        // The signer: a leaf certificate, or the managed key the policy names.
        BundleSignature.Signer signer = BundleSignature.signer(bundle, policy);

        // The signature, over the artifact or over the envelope's PAE.
        BundleSignature.Checked checked = BundleSignature.verify(bundle, artifact, signer);
        LogEntryBody.Signed signed = checked.signed();
        Dsse dsse = checked.dsse();

        // Transparency-log entries and RFC 3161 timestamps give the verified times.
        List<Instant> times = new ArrayList<>();
        for (TransparencyLogEntry e : material.getTlogEntriesList()) {
            Instant t = TlogEntries.verify(e, version, signed, root, clock);
            if (t != null) {
                times.add(t);
            }
        }
        for (var ts : material.getTimestampVerificationData().getRfc3161TimestampsList()) {
            times.add(
                    Timestamps.verify(
                            ts.getSignedTimestamp().toByteArray(), signed.signature(), root));
        }
        if (times.isEmpty()) {
            throw new VerificationFailure(
                    "bundle has no verified time: no signed entry timestamp and no RFC 3161"
                            + " timestamp");
        }

        SigningCertificate certificate = null;
        if (signer.leaf() != null) {
            X509Certificate leaf = signer.leaf();
            X509Certificate issuer = CertificateChain.verify(leaf, times, root);
            Scts.verify(leaf, issuer, root);
            certificate = SigningCertificate.of(leaf);
            if (policy instanceof Identity id) {
                if (!id.identity().equals(certificate.identity())) {
                    throw new VerificationFailure(
                            "certificate identity is '"
                                    + certificate.identity()
                                    + "', expected '"
                                    + id.identity()
                                    + "'");
                }
                if (!id.issuer().equals(certificate.issuer())) {
                    throw new VerificationFailure(
                            "certificate OIDC issuer is '"
                                    + certificate.issuer()
                                    + "', expected '"
                                    + id.issuer()
                                    + "'");
                }
            }
        }
        if (dsse != null && !(policy instanceof AnyCertificate)) {
            BundleSignature.subjectNamesArtifact(dsse, artifact);
        }
        return new Verified(certificate, dsse, List.copyOf(times), material.getTlogEntriesList());
    }
}
