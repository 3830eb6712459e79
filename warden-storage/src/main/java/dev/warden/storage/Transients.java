package dev.warden.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * Short-lived records that every node must see and a restart must keep: requests a browser finishes
 * while the CLI polls, passkey ceremonies, throttles and the credential guards' streaks. Each
 * record is keyed by (kind, key) and lives until its expiry, inclusive: reads ignore a record whose
 * expiry is before {@code now}, and {@link #purgeExpired} removes them. Times are kept to the
 * millisecond (an expiry is rounded up, so a record never ends early). Writers are serialized by
 * the store, so a read followed by a write in one transaction is atomic.
 */
public interface Transients {

    /**
     * One record.
     *
     * @param value what the record holds, in its kind's own text form
     * @param owner whom it counts against ({@link #countOwned}); empty for none
     */
    record Transient(String kind, String key, String value, String owner, Instant expires) {
        public Transient {
            if (kind == null || key == null || value == null || owner == null || expires == null) {
                throw new IllegalArgumentException("a transient record needs all its fields");
            }
        }

        /** A record counted against no one. */
        public Transient(String kind, String key, String value, Instant expires) {
            this(kind, key, value, "", expires);
        }
    }

    /** The record, unless there is none or it expired before {@code now}. */
    Optional<Transient> get(String kind, String key, Instant now);

    /** Stores the record, replacing any of the same kind and key. */
    void put(Transient record);

    /**
     * Stores the record unless a live one of the same kind and key exists (an expired one is
     * replaced); true when stored.
     */
    boolean insertIfAbsent(Transient record, Instant now);

    /**
     * Removes the record; true when a live one was there, so of several callers exactly one wins a
     * one-time claim.
     */
    boolean delete(String kind, String key, Instant now);

    /** Live records of {@code kind}. */
    int count(String kind, Instant now);

    /** Live records of {@code kind} counted against {@code owner}. */
    int countOwned(String kind, String owner, Instant now);

    /** Removes the records that expired before {@code now}; answers how many. */
    int purgeExpired(Instant now);
}
