package dev.warden.signing;

import dev.warden.common.Problem;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * The public keys clients send Fulcio and Rekor (PEM keys or certificates), and checking signatures
 * with them.
 */
final class Keys {

    private Keys() {}

    /** A PEM public key or the key of a PEM certificate; a 400 naming {@code what} otherwise. */
    static PublicKey fromPem(byte[] pem, String what) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        try {
            if (text.contains("BEGIN CERTIFICATE")) {
                return CertificateAuthority.certificate(pem).getPublicKey();
            }
            if (text.contains("BEGIN PUBLIC KEY")) {
                return fromDer(CertificateAuthority.pemBody(text), what);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // fall through to the refusal
        }
        throw Problem.badRequest(what + " is not a PEM certificate or public key");
    }

    /** A SubjectPublicKeyInfo (EC, Ed25519 or RSA); a 400 naming {@code what} otherwise. */
    static PublicKey fromDer(byte[] spki, String what) {
        for (String alg : new String[] {"EC", "Ed25519", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // the next type
            }
        }
        throw Problem.badRequest(what + " is not an EC, Ed25519 or RSA public key");
    }

    /**
     * Whether {@code sig} signs {@code data} with {@code key}, hashing as the key's kind does
     * (SHA-384 for P-384).
     */
    static boolean verify(PublicKey key, byte[] data, byte[] sig) {
        String alg =
                key instanceof ECPublicKey ec
                        ? (ec.getParams().getCurve().getField().getFieldSize() > 256
                                ? "SHA384withECDSA"
                                : "SHA256withECDSA")
                        : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "Ed25519";
        try {
            Signature s = Signature.getInstance(alg);
            s.initVerify(key);
            s.update(data);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
