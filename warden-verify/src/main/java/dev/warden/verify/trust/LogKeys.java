package dev.warden.verify.trust;

/*
 * PLACEHOLDER on main until the trust material and log inclusion land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

import dev.warden.log.NoteKey;

import java.net.URI;

public record LogKeys(
        URI url, String origin, NoteKey.Verifier logKey, NoteKey.Verifier registryStatementKey) {}
