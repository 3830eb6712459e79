package dev.warden.storage;

import java.util.Optional;

/**
 * Invitations: on an invite-only registry, a user name may register only if invited (with that
 * email).
 */
public interface Invites {

    void put(String user, String email, java.time.Instant at);

    Optional<String> emailFor(String user);

    void delete(String user);
}
