package dev.warden.provenance.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.sigstore.proto.bundle.v1.Bundle;
import dev.sigstore.proto.rekor.v1.TransparencyLogEntry;
import dev.warden.log.Checkpoint;
import dev.warden.log.Merkle;
import dev.warden.log.Note;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

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
 */
public final class BundleVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    /** Bundle media types by version. */
    private static final Map<String, Integer> MEDIA_TYPES =
            Map.of(
                    "application/vnd.dev.sigstore.bundle+json;version=0.1", 1,
                    "application/vnd.dev.sigstore.bundle+json;version=0.2", 2,
                    "application/vnd.dev.sigstore.bundle+json;version=0.3", 3,
                    "application/vnd.dev.sigstore.bundle.v0.3+json", 3);

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
        String text = new String(json, StandardCharsets.UTF_8);
        try {
            return merge(text);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // Base64 wrapped at 76 columns (as base64(1) writes it) is still base64, as Go and Node
            // decode it.
            if (String.valueOf(e.getMessage()).contains("base64")) {
                try {
                    return merge(unwrapBase64(text));
                } catch (InvalidProtocolBufferException | RuntimeException again) {
                    // report the first problem
                }
            }
            throw new VerificationFailure(
                    "bundle is not valid JSON of the Sigstore Bundle type: "
                            + firstLine(e.getMessage()));
        }
    }

    private static Bundle merge(String json) throws InvalidProtocolBufferException {
        Bundle.Builder b = Bundle.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(json, b);
        return b.build();
    }

    private static final java.util.regex.Pattern WRAPPED_BASE64 =
            java.util.regex.Pattern.compile(
                    "\"([A-Za-z0-9+/=]+(?:(?:\\\\r)?\\\\n[A-Za-z0-9+/=]+)+(?:(?:\\\\r)?\\\\n)?)\"");

    private static String unwrapBase64(String json) {
        return WRAPPED_BASE64
                .matcher(json)
                .replaceAll(
                        m ->
                                java.util.regex.Matcher.quoteReplacement(
                                        "\""
                                                + m.group(1).replace("\\r", "").replace("\\n", "")
                                                + "\""));
    }

    public Verified verify(byte[] bundleJson, Artifact artifact, Policy policy) {
        return verify(parse(bundleJson), artifact, policy);
    }

    public Verified verify(Bundle bundle, Artifact artifact, Policy policy) {
        int version = structure(bundle);
        var material = bundle.getVerificationMaterial();

        // The signer: a leaf certificate, or the managed key the policy names.
        X509Certificate leaf = null;
        PublicKey key;
        byte[] verifierDer;
        if (material.hasPublicKey()) {
            if (!(policy instanceof Key k)) {
                throw new VerificationFailure(
                        "bundle is signed with a managed key, not a certificate: a key is needed to"
                                + " verify it");
            }
            key = k.key();
            verifierDer = key.getEncoded();
        } else {
            if (policy instanceof Key) {
                throw new VerificationFailure(
                        "bundle is signed with a certificate, but a managed key was given");
            }
            leaf = leafCertificate(bundle);
            key = leaf.getPublicKey();
            verifierDer = encoded(leaf);
        }

        // The signature, over the artifact or over the envelope's PAE.
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

        // Transparency-log entries and RFC 3161 timestamps give the verified times.
        List<Instant> times = new ArrayList<>();
        for (TransparencyLogEntry e : material.getTlogEntriesList()) {
            Instant t = logEntry(e, version, signed);
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
        if (leaf != null) {
            X509Certificate issuer = chain(leaf, times);
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
            subjectNamesArtifact(dsse, artifact);
        }
        return new Verified(certificate, dsse, List.copyOf(times), material.getTlogEntriesList());
    }

    /** The bundle's version, after checking what that version requires. */
    private static int structure(Bundle bundle) {
        Integer version = MEDIA_TYPES.get(bundle.getMediaType());
        if (version == null) {
            throw new VerificationFailure(
                    "bundle media type '"
                            + bundle.getMediaType()
                            + "' is not a supported version (v0.1 to v0.3)");
        }
        var m = bundle.getVerificationMaterial();
        if (!m.hasPublicKey() && !m.hasCertificate() && !m.hasX509CertificateChain()) {
            throw new VerificationFailure("bundle has no certificate or public key");
        }
        if (version == 3 && m.hasX509CertificateChain()) {
            throw new VerificationFailure(
                    "a v0.3 bundle must carry a single certificate, not a chain");
        }
        if (!bundle.hasMessageSignature() && !bundle.hasDsseEnvelope()) {
            throw new VerificationFailure(
                    "bundle has neither a message signature nor a DSSE envelope");
        }
        if (m.getTlogEntriesCount() == 0) {
            throw new VerificationFailure("bundle has no transparency-log entry");
        }
        for (TransparencyLogEntry e : m.getTlogEntriesList()) {
            if (version == 1 && !e.hasInclusionPromise()) {
                throw new VerificationFailure(
                        "a v0.1 bundle's log entry must have a signed entry timestamp");
            }
            if (version >= 2
                    && (!e.hasInclusionProof() || !e.getInclusionProof().hasCheckpoint())) {
                throw new VerificationFailure(
                        "log entry "
                                + e.getLogIndex()
                                + " has no inclusion proof with a checkpoint");
            }
        }
        return version;
    }

    private static X509Certificate leafCertificate(Bundle bundle) {
        var m = bundle.getVerificationMaterial();
        if (m.hasCertificate()) {
            return Crypto.certificate(
                    m.getCertificate().getRawBytes().toByteArray(), "bundle certificate");
        }
        var certs = m.getX509CertificateChain().getCertificatesList();
        if (certs.isEmpty()) {
            throw new VerificationFailure("bundle has an empty certificate chain");
        }
        X509Certificate leaf = null;
        for (var c : certs) {
            X509Certificate x =
                    Crypto.certificate(c.getRawBytes().toByteArray(), "bundle certificate");
            if (x.getSubjectX500Principal().equals(x.getIssuerX500Principal())) {
                throw new VerificationFailure(
                        "bundle's certificate chain contains a root certificate: roots come from"
                                + " the trusted root only");
            }
            if (leaf == null) {
                leaf = x;
            }
        }
        return leaf;
    }

    /**
     * Checks one log entry; answers its integrated time when a signed entry timestamp vouches for
     * it.
     */
    private Instant logEntry(TransparencyLogEntry e, int version, LogEntryBody.Signed signed) {
        byte[] logId = e.getLogId().getKeyId().toByteArray();
        TrustRoot.Log log =
                root.tlogs().stream()
                        .filter(l -> l.hasLogId(logId))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new VerificationFailure(
                                                "log entry "
                                                        + e.getLogIndex()
                                                        + " is from a transparency log the trusted"
                                                        + " root does not list"));
        byte[] body = e.getCanonicalizedBody().toByteArray();
        LogEntryBody.check(
                e.getKindVersion().getKind(), e.getKindVersion().getVersion(), body, signed);

        Instant integrated = null;
        if (e.hasInclusionPromise()) {
            String payload =
                    "{\"body\":\""
                            + java.util.Base64.getEncoder().encodeToString(body)
                            + "\",\"integratedTime\":"
                            + e.getIntegratedTime()
                            + ",\"logID\":\""
                            + HexFormat.of().formatHex(logId)
                            + "\",\"logIndex\":"
                            + e.getLogIndex()
                            + "}";
            if (!Crypto.verify(
                    log.key(),
                    payload.getBytes(StandardCharsets.UTF_8),
                    e.getInclusionPromise().getSignedEntryTimestamp().toByteArray())) {
                throw new VerificationFailure(
                        "log entry "
                                + e.getLogIndex()
                                + ": signed entry timestamp does not verify with the log's key");
            }
            integrated = Instant.ofEpochSecond(e.getIntegratedTime());
            if (integrated.isAfter(clock.instant().plus(CLOCK_SKEW))) {
                throw new VerificationFailure(
                        "log entry "
                                + e.getLogIndex()
                                + ": integrated time "
                                + integrated
                                + " is in the future");
            }
            if (!log.validFor().contains(integrated)) {
                throw new VerificationFailure(
                        "log entry "
                                + e.getLogIndex()
                                + ": integrated time "
                                + integrated
                                + " is outside the trusted root's window for "
                                + log.baseUrl());
            }
        }
        if (e.hasInclusionProof()) {
            inclusion(e, log, body, version);
        }
        return integrated;
    }

    private static void inclusion(
            TransparencyLogEntry e, TrustRoot.Log log, byte[] body, int version) {
        var p = e.getInclusionProof();
        List<byte[]> hashes = new ArrayList<>();
        p.getHashesList().forEach(h -> hashes.add(h.toByteArray()));
        if (p.getLogIndex() < 0
                || p.getTreeSize() <= p.getLogIndex()
                || hashes.stream().anyMatch(h -> h.length != Merkle.HASH_SIZE)) {
            throw new VerificationFailure(
                    "log entry " + e.getLogIndex() + ": inclusion proof is malformed");
        }
        byte[] computed;
        try {
            computed =
                    Merkle.rootFromInclusion(
                            p.getLogIndex(), p.getTreeSize(), Merkle.leafHash(body), hashes);
        } catch (IllegalArgumentException ex) {
            throw new VerificationFailure(
                    "log entry "
                            + e.getLogIndex()
                            + ": inclusion proof is malformed: "
                            + ex.getMessage());
        }
        if (!Arrays.equals(computed, p.getRootHash().toByteArray())) {
            throw new VerificationFailure(
                    "log entry "
                            + e.getLogIndex()
                            + ": inclusion proof does not lead to its root hash");
        }
        if (!p.hasCheckpoint()) {
            return;
        }
        Note note;
        Checkpoint cp;
        try {
            note = Note.parse(p.getCheckpoint().getEnvelope());
            cp = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException ex) {
            throw new VerificationFailure(
                    "log entry "
                            + e.getLogIndex()
                            + ": checkpoint is malformed: "
                            + ex.getMessage());
        }
        if (cp.size() != p.getTreeSize() || !Arrays.equals(cp.root(), computed)) {
            throw new VerificationFailure(
                    "log entry "
                            + e.getLogIndex()
                            + ": inclusion proof does not match the checkpoint (size "
                            + p.getTreeSize()
                            + " vs "
                            + cp.size()
                            + ")");
        }
        checkpointSignature(e, log, note);
    }

    /**
     * A checkpoint counts when a signature line with the log's key ID (and, for Ed25519 keys, its
     * name) verifies.
     */
    private static void checkpointSignature(TransparencyLogEntry e, TrustRoot.Log log, Note note) {
        int keyId = java.nio.ByteBuffer.wrap(log.checkpointKeyId()).getInt();
        boolean nameBound = !(log.key() instanceof java.security.interfaces.ECPublicKey);
        byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
        boolean claimed = false;
        for (Note.Signature s : note.signatures()) {
            if (s.keyId() != keyId || (nameBound && !s.name().equals(log.origin()))) {
                continue;
            }
            claimed = true;
            if (Crypto.verify(log.key(), text, s.bytes())) {
                return;
            }
        }
        throw new VerificationFailure(
                "log entry "
                        + e.getLogIndex()
                        + ": checkpoint "
                        + (claimed
                                ? "signature does not verify with the key of "
                                : "has no signature from ")
                        + log.baseUrl());
    }

    /**
     * Checks the leaf chains to a trusted CA at every verified time; answers the certificate that
     * issued it.
     */
    private X509Certificate chain(X509Certificate leaf, List<Instant> times) {
        if (leaf.getBasicConstraints() >= 0) {
            throw new VerificationFailure("signing certificate is a CA certificate");
        }
        boolean[] usage = leaf.getKeyUsage();
        if (usage == null || !usage[0]) {
            throw new VerificationFailure(
                    "signing certificate lacks the digitalSignature key usage");
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku == null || !eku.contains("1.3.6.1.5.5.7.3.3")) {
                throw new VerificationFailure(
                        "signing certificate lacks the codeSigning extended key usage");
            }
        } catch (java.security.cert.CertificateParsingException ex) {
            throw new VerificationFailure("signing certificate has a malformed extended key usage");
        }
        String problem =
                "signing certificate was not issued by a certificate authority of the trusted root";
        for (TrustRoot.Authority ca : root.certificateAuthorities()) {
            List<X509Certificate> chain = ca.chain();
            for (int i = 0; i < chain.size(); i++) {
                X509Certificate issuer = chain.get(i);
                if (!issuer.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
                        || !sameKeyId(leaf, issuer)
                        || !signedBy(leaf, issuer)) {
                    continue;
                }
                String bad = validAt(leaf, chain.subList(i, chain.size()), ca, times);
                if (bad == null) {
                    return issuer;
                }
                problem = bad;
            }
        }
        throw new VerificationFailure(problem);
    }

    private static String validAt(
            X509Certificate leaf,
            List<X509Certificate> path,
            TrustRoot.Authority ca,
            List<Instant> times) {
        for (Instant t : times) {
            if (t.isBefore(leaf.getNotBefore().toInstant())
                    || t.isAfter(leaf.getNotAfter().toInstant())) {
                return "verified time "
                        + t
                        + " is outside the signing certificate's validity ("
                        + leaf.getNotBefore().toInstant()
                        + " to "
                        + leaf.getNotAfter().toInstant()
                        + ")";
            }
            if (!ca.validFor().contains(t)) {
                return "verified time "
                        + t
                        + " is outside the trusted root's window for the certificate authority "
                        + ca.uri();
            }
            for (X509Certificate c : path) {
                if (t.isBefore(c.getNotBefore().toInstant())
                        || t.isAfter(c.getNotAfter().toInstant())) {
                    return "verified time "
                            + t
                            + " is outside the validity of CA certificate "
                            + c.getSubjectX500Principal();
                }
            }
        }
        return null;
    }

    /**
     * Whether the certificate's authority key identifier, when both carry one, names the issuer's
     * subject key identifier.
     */
    private static boolean sameKeyId(X509Certificate cert, X509Certificate issuer) {
        byte[] aki = cert.getExtensionValue("2.5.29.35");
        byte[] ski = issuer.getExtensionValue("2.5.29.14");
        if (aki == null || ski == null) {
            return true;
        }
        try {
            byte[] a =
                    org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
                                    org.bouncycastle.asn1.ASN1OctetString.getInstance(aki)
                                            .getOctets())
                            .getKeyIdentifier();
            byte[] k =
                    org.bouncycastle.asn1.ASN1OctetString.getInstance(
                                    org.bouncycastle.asn1.ASN1OctetString.getInstance(ski)
                                            .getOctets())
                            .getOctets();
            return a == null || Arrays.equals(a, k);
        } catch (RuntimeException e) {
            return true; // unreadable identifiers decide nothing: the signature does
        }
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        if (issuer.getPublicKey() instanceof java.security.interfaces.ECPublicKey
                && cert.getSigAlgName().endsWith("withECDSA")) {
            try {
                return Crypto.verify(
                        issuer.getPublicKey(),
                        cert.getSigAlgName(),
                        cert.getTBSCertificate(),
                        cert.getSignature());
            } catch (java.security.cert.CertificateEncodingException e) {
                return false;
            }
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * An in-toto statement in the envelope must name the artifact (by a digest we can compute)
     * among its subjects.
     */
    private static void subjectNamesArtifact(Dsse dsse, Artifact artifact) {
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

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
