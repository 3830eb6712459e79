package dev.warden.provenance.sigstore;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keys, certificates and signatures as Sigstore uses them: PKIX DER keys, DER certificates, DER
 * ECDSA signatures.
 */
final class Crypto {

    private Crypto() {}

    static byte[] sha256(byte[] data) {
        return digest("SHA-256", data);
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** A PKIX (SubjectPublicKeyInfo) DER public key: EC, Ed25519 or RSA. */
    static PublicKey publicKey(byte[] spki, String what) {
        for (String alg : new String[] {"EC", "Ed25519", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next key type
            }
        }
        throw new VerificationFailure(what + " is not a PKIX EC, Ed25519 or RSA public key");
    }

    /**
     * Wraps a PKCS#1 RSAPublicKey (as some trusted roots carry RSA keys) into a
     * SubjectPublicKeyInfo.
     */
    static byte[] pkcs1ToSpki(byte[] pkcs1, String what) {
        try {
            var alg =
                    new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                            org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
                            org.bouncycastle.asn1.DERNull.INSTANCE);
            return new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                            alg, org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(pkcs1))
                    .getEncoded("DER");
        } catch (java.io.IOException | RuntimeException e) {
            throw new VerificationFailure(what + " is not a PKCS#1 RSA public key");
        }
    }

    /** A PEM public key (the conformance CLI's {@code --key}). */
    static PublicKey pemPublicKey(String pem) {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return publicKey(Base64.getDecoder().decode(b64), "the key");
        } catch (IllegalArgumentException e) {
            throw new VerificationFailure("the key is not PEM");
        }
    }

    static X509Certificate certificate(byte[] der, String what) {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new VerificationFailure(what + " is not a DER X.509 certificate");
        }
    }

    /** The PEM form Rekor v1 entries record for a certificate or key, decoded back to DER. */
    static byte[] pemBody(byte[] pem) {
        String s = new String(pem, StandardCharsets.US_ASCII);
        if (!s.contains("-----BEGIN")) {
            throw new VerificationFailure("log entry: verifier is not PEM");
        }
        try {
            return Base64.getMimeDecoder().decode(s.replaceAll("-----[A-Z ]+-----", ""));
        } catch (IllegalArgumentException e) {
            throw new VerificationFailure("log entry: verifier is not PEM");
        }
    }

    /**
     * The JCA signature algorithm for a key, hashing the message the way Sigstore's key details
     * name.
     */
    static String algorithm(PublicKey key) {
        return switch (key) {
            case ECPublicKey ec ->
                    switch (ec.getParams().getCurve().getField().getFieldSize()) {
                        case 384 -> "SHA384withECDSA";
                        case 521 -> "SHA512withECDSA";
                        default -> "SHA256withECDSA";
                    };
            case PublicKey k when k.getAlgorithm().equals("RSA") -> "SHA256withRSA";
            default -> "Ed25519";
        };
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        return verify(key, algorithm(key), message, signature);
    }

    static boolean verify(PublicKey key, String algorithm, byte[] message, byte[] signature) {
        if (key instanceof ECPublicKey ec && algorithm.endsWith("withECDSA")) {
            String hash = algorithm.substring(0, algorithm.indexOf("with"));
            byte[] digest =
                    hash.equals("NONE") ? message : digest("SHA-" + hash.substring(3), message);
            return Ecdsa.verify(ec, digest, signature);
        }
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Verifies a signature over a message known only by its SHA-256 digest (EC keys sign the digest
     * itself).
     */
    static boolean verifyPrehashed(PublicKey key, byte[] sha256, byte[] signature) {
        if (key instanceof ECPublicKey) {
            return verify(key, "NONEwithECDSA", sha256, signature);
        }
        if (key.getAlgorithm().equals("RSA")) {
            byte[] prefix = HexFormat.of().parseHex("3031300d060960864801650304020105000420");
            byte[] info = new byte[prefix.length + sha256.length];
            System.arraycopy(prefix, 0, info, 0, prefix.length);
            System.arraycopy(sha256, 0, info, prefix.length, sha256.length);
            return verify(key, "NONEwithRSA", info, signature);
        }
        throw new VerificationFailure(
                "an Ed25519 signature cannot be checked against a digest: give the artifact"
                        + " itself");
    }
}
