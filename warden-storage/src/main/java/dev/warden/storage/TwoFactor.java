package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** TOTP second factors. */
public interface TwoFactor {

    Optional<TfaRecord> find(String user);

    void put(TfaRecord record);

    void delete(String user);

    /**
     * An account's TOTP factor.
     *
     * @param secret the shared secret, base32
     * @param mode {@code auth-only} or {@code auth-and-writes}
     * @param pending true until the first code confirms the secret
     * @param lastStep the last time step a code was accepted for (codes are accepted once)
     * @param recoveryHashes SHA-256 hashes of the unused recovery codes
     */
    record TfaRecord(
            String user,
            String secret,
            String mode,
            boolean pending,
            long lastStep,
            List<String> recoveryHashes,
            Instant created) {
        @Override
        public String toString() {
            return "TfaRecord[user=" + user + ", mode=" + mode + ", pending=" + pending + "]";
        }
    }
}
