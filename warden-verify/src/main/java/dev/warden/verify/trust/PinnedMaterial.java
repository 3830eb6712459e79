package dev.warden.verify.trust;

/*
 * PLACEHOLDER on main until the trust material and log inclusion land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

import java.util.List;

public record PinnedMaterial(List<RegistryKey> keys, byte[] tufRoot) {}
