package dev.warden.verify.trust;

/*
 * PLACEHOLDER on main until the trust material and log inclusion land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.verify.Remote;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

public final class RegistryTrust {
    public static RegistryTrust load(
            URI registry,
            Remote remote,
            Path cacheDir,
            boolean offline,
            Optional<PinnedMaterial> fromPolicy,
            Clock clock)
            throws TrustException {
        return new RegistryTrust();
    }

    public List<RegistryKey> registryKeys() {
        return List.of();
    }

    public TrustRoot sigstoreRoot() {
        return TrustRoot.publicGood();
    }

    public Optional<LogKeys> log() {
        return Optional.empty();
    }

    public List<String> notices() {
        return List.of();
    }
}
