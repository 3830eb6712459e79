package dev.warden.provenance.sigstore;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Fulcio signing certificate's identity: the subject alternative name, and the OIDC claims Fulcio
 * records in its extensions under 1.3.6.1.4.1.57264.1 (issuer .8, or the legacy .1; build signer,
 * source repository, workflow run and the rest .9 to .22).
 */
public record SigningCertificate(
        X509Certificate certificate, String identity, String issuer, Map<String, String> claims) {

    static final String FULCIO = "1.3.6.1.4.1.57264.1.";

    /** Fulcio's extension names, by the last arc of their OID. */
    private static final Map<Integer, String> NAMES =
            Map.ofEntries(
                    Map.entry(8, "issuer"),
                    Map.entry(9, "buildSignerURI"),
                    Map.entry(10, "buildSignerDigest"),
                    Map.entry(11, "runnerEnvironment"),
                    Map.entry(12, "sourceRepositoryURI"),
                    Map.entry(13, "sourceRepositoryDigest"),
                    Map.entry(14, "sourceRepositoryRef"),
                    Map.entry(15, "sourceRepositoryIdentifier"),
                    Map.entry(16, "sourceRepositoryOwnerURI"),
                    Map.entry(17, "sourceRepositoryOwnerIdentifier"),
                    Map.entry(18, "buildConfigURI"),
                    Map.entry(19, "buildConfigDigest"),
                    Map.entry(20, "buildTrigger"),
                    Map.entry(21, "runInvocationURI"),
                    Map.entry(22, "sourceRepositoryVisibilityAtSigning"));

    public SigningCertificate {
        claims = Map.copyOf(claims);
    }

    static SigningCertificate of(X509Certificate cert) {
        Map<String, String> claims = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
            String v = derString(cert, FULCIO + e.getKey());
            if (v != null) {
                claims.put(e.getValue(), v);
            }
        }
        String issuer = claims.get("issuer");
        if (issuer == null) {
            byte[] legacy = octets(cert, FULCIO + "1");
            issuer = legacy == null ? null : new String(legacy, StandardCharsets.UTF_8);
        }
        return new SigningCertificate(cert, subjectAlternativeName(cert), issuer, claims);
    }

    /**
     * The value of a named Fulcio claim ({@code sourceRepositoryURI}, {@code buildConfigURI}, ...),
     * or null.
     */
    public String claim(String name) {
        return claims.get(name);
    }

    private static String subjectAlternativeName(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    int type = (Integer) n.get(0);
                    if (type == 6 || type == 1) {
                        return (String) n.get(1);
                    }
                }
            }
            return null;
        } catch (CertificateParsingException e) {
            throw new VerificationFailure(
                    "signing certificate: subject alternative name is malformed");
        }
    }

    private static byte[] octets(X509Certificate cert, String oid) {
        byte[] ext = cert.getExtensionValue(oid);
        return ext == null ? null : ASN1OctetString.getInstance(ext).getOctets();
    }

    private static String derString(X509Certificate cert, String oid) {
        byte[] v = octets(cert, oid);
        if (v == null) {
            return null;
        }
        try {
            if (ASN1Primitive.fromByteArray(v) instanceof ASN1String s) {
                return s.getString();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // fall through: not DER
        }
        throw new VerificationFailure(
                "signing certificate: extension " + oid + " is not a DER string");
    }
}
