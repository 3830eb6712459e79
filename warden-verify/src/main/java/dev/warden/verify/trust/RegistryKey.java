package dev.warden.verify.trust;

import java.security.PublicKey;
import java.time.Instant;

/**
 * A key a registry signs {@code dist.signatures} with, as {@code /-/npm/v1/keys} serves it.
 *
 * @param keyid its id ({@code SHA256:<base64 of the SPKI's digest>} on npm)
 * @param key the public key (ECDSA P-256 on npm and Warden)
 * @param expires after when signatures made with it are no longer trusted, or null
 */
public record RegistryKey(String keyid, PublicKey key, Instant expires) {}
