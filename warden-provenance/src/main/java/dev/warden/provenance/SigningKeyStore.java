package dev.warden.provenance;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the registry's version-signing keys live: what signs {@code dist.signatures} and what
 * {@code GET /-/npm/v1/keys} lists. {@link SigningKeys} keeps them in files; an HSM or KMS store
 * implements this interface, signing inside the device (ECDSA P-256, SHA-256, DER) so the private
 * keys never leave it, and is wired in {@code WardenServer} in place of the file store.
 */
public interface SigningKeyStore {

    /**
     * A public key as {@code GET /-/npm/v1/keys} lists it.
     *
     * @param keyid {@code SHA256:} + base64 of the SHA-256 of the SubjectPublicKeyInfo
     * @param key base64 SubjectPublicKeyInfo
     * @param expires null while the key signs; set when it is rotated out
     */
    record PublicKey(String keyid, String key, Instant created, Instant expires) {}

    /** Every key, current and retired: versions signed by a retired key stay verifiable. */
    List<PublicKey> publicKeys();

    /** Signs {@code message} with the current key: {@code {"keyid": ..., "sig": base64 DER}}. */
    Map<String, String> sign(String message);
}
