package dev.warden.storage;

import java.time.Instant;
import java.util.Optional;

/** Email verification links and which addresses were verified. */
public interface EmailVerifications {

    void put(String tokenHash, String user, String email, Instant expires);

    Optional<Pending> find(String tokenHash);

    void markVerified(String tokenHash, Instant at);

    /** Whether {@code user} has verified {@code email}. */
    boolean verified(String user, String email);

    record Pending(String user, String email, Instant expires, Instant verified) {}
}
