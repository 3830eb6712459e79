package dev.warden.provenance.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sigstore.proto.bundle.v1.Bundle;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A bundle's signature: who signed (a leaf certificate, or the managed key the policy names), the
 * message signature over the artifact or the DSSE envelope's signature over its PAE, and the
 * artifact among an in-toto statement's subjects.
 */
final class BundleSignature {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BundleSignature() {}

    /**
     * The signer's key.
     *
     * @param leaf the signing certificate, null for a managed key
     * @param der the encoded certificate or key, as a log entry records it
     */
    record Signer(X509Certificate leaf, PublicKey key, byte[] der) {}

    /**
     * A verified signature.
     *
     * @param dsse the envelope's content, null for a message signature
     */
    record Checked(LogEntryBody.Signed signed, Dsse dsse) {}

    /** The signer: a leaf certificate, or the managed key the policy names. */
    static Signer signer(Bundle bundle, BundleVerifier.Policy policy) {
        var material = bundle.getVerificationMaterial();
        X509Certificate leaf = null;
        PublicKey key;
        byte[] verifierDer;
        if (material.hasPublicKey()) {
            if (!(policy instanceof BundleVerifier.Key k)) {
                throw new VerificationFailure(
                        "bundle is signed with a managed key, not a certificate: a key is needed to"
                                + " verify it");
            }
            key = k.key();
            verifierDer = key.getEncoded();
        } else {
            if (policy instanceof BundleVerifier.Key) {
                throw new VerificationFailure(
                        "bundle is signed with a certificate, but a managed key was given");
            }
            leaf = BundleFormat.leafCertificate(bundle);
            key = leaf.getPublicKey();
            verifierDer = encoded(leaf);
        }
        return new Signer(leaf, key, verifierDer);
    }

    /** The signature, over the artifact or over the envelope's PAE. */
    static Checked verify(Bundle bundle, BundleVerifier.Artifact artifact, Signer signer) {
        X509Certificate leaf = signer.leaf();
        PublicKey key = signer.key();
        byte[] verifierDer = signer.der();
        LogEntryBody.Signed signed;
        Dsse dsse = null;
        if (bundle.hasMessageSignature()) {
            var ms = bundle.getMessageSignature();
            byte[] sig = ms.getSignature().toByteArray();
            if (sig.length == 0) {
                throw new VerificationFailure("bundle has an empty signature");
            }
            if (ms.hasMessageDigest()
                    && (!ms.getMessageDigest().getAlgorithm().name().equals("SHA2_256")
                            || !Arrays.equals(
                                    ms.getMessageDigest().getDigest().toByteArray(),
                                    artifact.sha256()))) {
                throw new VerificationFailure(
                        "bundle's message digest is not the artifact's SHA-256 digest");
            }
            boolean ok =
                    artifact.bytes() != null
                            ? Crypto.verify(key, artifact.bytes(), sig)
                            : Crypto.verifyPrehashed(key, artifact.sha256(), sig);
            if (!ok) {
                throw new VerificationFailure(
                        "signature does not verify over the artifact with the "
                                + (leaf == null ? "key" : "certificate's key"));
            }
            signed =
                    new LogEntryBody.Signed(
                            sig, verifierDer, leaf != null, artifact.sha256(), null);
        } else {
            var env = bundle.getDsseEnvelope();
            if (env.getSignaturesCount() != 1) {
                throw new VerificationFailure(
                        "DSSE envelope has "
                                + env.getSignaturesCount()
                                + " signatures, expected exactly 1");
            }
            dsse = new Dsse(env.getPayloadType(), env.getPayload().toByteArray());
            byte[] sig = env.getSignatures(0).getSig().toByteArray();
            if (!Crypto.verify(key, dsse.pae(), sig)) {
                throw new VerificationFailure(
                        "DSSE envelope signature does not verify with the "
                                + (leaf == null ? "key" : "certificate's key"));
            }
            signed = new LogEntryBody.Signed(sig, verifierDer, leaf != null, null, dsse);
        }
        return new Checked(signed, dsse);
    }

    /**
     * An in-toto statement in the envelope must name the artifact (by a digest we can compute)
     * among its subjects.
     */
    static void subjectNamesArtifact(Dsse dsse, BundleVerifier.Artifact artifact) {
        if (!Dsse.IN_TOTO.equals(dsse.payloadType())) {
            return;
        }
        JsonNode statement;
        try {
            statement = JSON.readTree(dsse.payload());
        } catch (IOException ex) {
            throw new VerificationFailure("DSSE payload is not a JSON in-toto statement");
        }
        String sha256 = HexFormat.of().formatHex(artifact.sha256());
        String sha512 =
                artifact.bytes() == null
                        ? null
                        : HexFormat.of().formatHex(Crypto.digest("SHA-512", artifact.bytes()));
        for (JsonNode s : statement.path("subject")) {
            JsonNode d = s.path("digest");
            if (sha256.equals(d.path("sha256").asText(null))
                    || (sha512 != null && sha512.equals(d.path("sha512").asText(null)))) {
                return;
            }
        }
        throw new VerificationFailure(
                "in-toto statement names no subject with the artifact's digest");
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new VerificationFailure("bundle certificate cannot be encoded");
        }
    }
}
