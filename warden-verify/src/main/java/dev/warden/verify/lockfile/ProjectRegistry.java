package dev.warden.verify.lockfile;

/*
 * PLACEHOLDER on main until the lockfile parsers land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

public final class ProjectRegistry {
    public static ProjectRegistry discover(Path projectDir) throws LockfileException {
        return new ProjectRegistry();
    }

    public Optional<URI> registryFor(String packageName) {
        return Optional.empty();
    }
}
