package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The CI identities allowed to publish a package without a stored token ({@code npm trust}), and
 * the short-lived tokens issued to them.
 */
public interface TrustedPublishers {

    List<TrustRecord> of(String pkg);

    Optional<TrustRecord> find(String pkg, String id);

    void insert(TrustRecord trust);

    /** Deletes the configuration; true if it existed. */
    boolean delete(String pkg, String id);

    /**
     * Marks an ID token as exchanged, until it expires.
     *
     * @return false if it had been exchanged already (a replay)
     */
    boolean useIdToken(String key, Instant expires);

    void insertToken(PublishToken token);

    Optional<PublishToken> findToken(String hash);

    /**
     * Forgets used ID tokens and publish tokens that expired before {@code now}; returns how many.
     */
    int prune(Instant now);

    /**
     * One trusted publisher of a package.
     *
     * @param type "github", "gitlab" or "circleci"
     * @param claims JSON: the claims an ID token must carry, in the npm CLI's shape
     * @param permissions "createPackage" (publish) and/or "createStagedPackage" (stage a release)
     */
    record TrustRecord(
            String id,
            String pkg,
            String type,
            String claims,
            List<String> permissions,
            Instant created,
            String createdBy) {}

    /**
     * A token issued for a verified ID token.
     *
     * @param hash SHA-256 of the secret, hex
     * @param identity JSON: who the CI says it is (repository, workflow, ref, run)
     */
    record PublishToken(
            String hash,
            String pkg,
            String trustId,
            List<String> permissions,
            String identity,
            Instant created,
            Instant expires) {}
}
