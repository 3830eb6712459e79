package dev.warden.verify.trust;

/*
 * PLACEHOLDER on main until the trust material and log inclusion land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

import java.security.PublicKey;
import java.time.Instant;

public record RegistryKey(String keyid, PublicKey key, Instant expires) {}
