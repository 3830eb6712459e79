package dev.warden.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * Scope ownership: the user who first published in a scope holds it, even after its packages are
 * gone.
 */
public interface Scopes {

    Optional<String> owner(String scope);

    void claim(String scope, String owner, Instant at);
}
