package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Access tokens, stored only as hashes of the secret. */
public interface Tokens {

    Optional<TokenRecord> findByHash(String hash);

    List<TokenRecord> of(String user);

    void insert(TokenRecord token);

    /** Deletes the token; true if it existed. */
    boolean delete(String hash);

    /**
     * A token.
     *
     * @param key a public identifier shown in listings (never enough to authenticate)
     * @param hash SHA-256 of the secret, hex
     * @param expires null for no expiry
     * @param cidrs allowed client networks; empty means any
     * @param limits JSON: the packages, scopes and orgs the token may act on, and with what
     *     permission
     * @param bypass2fa whether the token may write without an OTP where the account or package
     *     allows it
     */
    record TokenRecord(
            String key,
            String hash,
            String user,
            boolean readOnly,
            Instant created,
            Instant expires,
            List<String> cidrs,
            Instant lastUsed,
            String name,
            String description,
            String limits,
            boolean bypass2fa) {
        /** A plain login token: no name, no limits. */
        public TokenRecord(
                String key,
                String hash,
                String user,
                boolean readOnly,
                Instant created,
                Instant expires,
                List<String> cidrs) {
            this(key, hash, user, readOnly, created, expires, cidrs, null, null, null, "{}", false);
        }

        @Override
        public String toString() {
            return "TokenRecord[key=" + key + ", user=" + user + ", readOnly=" + readOnly + "]";
        }
    }
}
