package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** WebAuthn credentials; ids, handles and keys are base64url strings. */
public interface Passkeys {

    Optional<String> handleOf(String user);

    Optional<String> userOfHandle(String handle);

    void putHandle(String user, String handle);

    List<Credential> of(String user);

    Optional<Credential> find(String credentialId);

    void insert(Credential credential);

    void updateSignCount(String credentialId, long signCount);

    /** Deletes {@code user}'s credential; true if it existed. */
    boolean delete(String credentialId, String user);

    /**
     * @param publicKey the COSE public key
     */
    record Credential(
            String credentialId,
            String user,
            String publicKey,
            long signCount,
            String nickname,
            Instant created) {}
}
