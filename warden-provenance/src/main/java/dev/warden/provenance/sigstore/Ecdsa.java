package dev.warden.provenance.sigstore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PublicKeyFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;

/**
 * ECDSA verification with BouncyCastle's lightweight API. A bundle is checked with up to five ECDSA
 * signatures, four of them by keys of the trusted root (CA, log, CT log) that every bundle shares:
 * BouncyCastle keeps the precomputed multiples of a public key with its point, so holding each
 * key's parameters (weakly, by key instance) makes those verifications several times faster than
 * the JDK's, which starts from scratch every time. Signatures must be strict DER.
 */
final class Ecdsa {

    private static final Cache<ECPublicKey, ECPublicKeyParameters> KEYS =
            Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

    private Ecdsa() {}

    static boolean verify(ECPublicKey key, byte[] digest, byte[] derSignature) {
        try {
            ECPublicKeyParameters params = KEYS.get(key, Ecdsa::parameters);
            BigInteger n = params.getParameters().getN();
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(n, derSignature);
            ECDSASigner signer = new ECDSASigner();
            signer.init(false, params);
            return signer.verifySignature(digest, rs[0], rs[1]);
        } catch (IOException
                | RuntimeException
                        e) { // BouncyCastle answers some malformed DER with NullPointerException
            return false;
        }
    }

    private static ECPublicKeyParameters parameters(ECPublicKey key) {
        try {
            return (ECPublicKeyParameters) PublicKeyFactory.createKey(key.getEncoded());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an EC public key", e);
        }
    }
}
