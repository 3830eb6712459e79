package dev.warden.provenance.sigstore;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.sigstore.proto.bundle.v1.Bundle;
import dev.sigstore.proto.rekor.v1.TransparencyLogEntry;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * A bundle's form: its JSON read into Sigstore's protobuf model, what each version (v0.1 to v0.3)
 * must carry, and the leaf certificate it names.
 */
final class BundleFormat {

    private BundleFormat() {}

    /** Bundle media types by version. */
    private static final Map<String, Integer> MEDIA_TYPES =
            Map.of(
                    "application/vnd.dev.sigstore.bundle+json;version=0.1", 1,
                    "application/vnd.dev.sigstore.bundle+json;version=0.2", 2,
                    "application/vnd.dev.sigstore.bundle+json;version=0.3", 3,
                    "application/vnd.dev.sigstore.bundle.v0.3+json", 3);

    /** Parses a bundle's JSON into Sigstore's protobuf model. */
    static Bundle parse(byte[] json) {
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

    /** The bundle's version, after checking what that version requires. */
    static int structure(Bundle bundle) {
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

    /** The bundle's leaf certificate; roots come from the trusted root, never from a bundle. */
    static X509Certificate leafCertificate(Bundle bundle) {
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

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
