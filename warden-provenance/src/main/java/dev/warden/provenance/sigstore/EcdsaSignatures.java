package dev.warden.provenance.sigstore;

import java.security.interfaces.ECPublicKey;

/**
 * ECDSA with SHA-256 over a message, for signatures outside a bundle (npm's registry signatures
 * over {@code name@version:integrity}, DSSE envelopes signed with a registry key), through the same
 * key-parameter cache as bundle verification: a consumer checks thousands of signatures by a few
 * keys.
 */
public final class EcdsaSignatures {

    private EcdsaSignatures() {}

    /** Whether {@code derSignature} is a valid strict-DER ECDSA signature of SHA-256(message). */
    public static boolean verify(ECPublicKey key, byte[] message, byte[] derSignature) {
        return Ecdsa.verify(key, Crypto.sha256(message), derSignature);
    }
}
