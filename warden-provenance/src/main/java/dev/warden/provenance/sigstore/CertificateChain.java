package dev.warden.provenance.sigstore;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The signing certificate's chain: a code-signing leaf issued by a certificate authority of the
 * trusted root, every certificate and the authority's window covering every verified time.
 */
final class CertificateChain {

    private CertificateChain() {}

    /**
     * Checks the leaf chains to a trusted CA at every verified time; answers the certificate that
     * issued it.
     */
    static X509Certificate verify(X509Certificate leaf, List<Instant> times, TrustRoot root) {
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
}
