package dev.warden.archfixtures.postgreslayers.log.postgres;

import dev.warden.archfixtures.postgreslayers.registry.Package;

/** Breaks postgresLogStoreUsesOnlyTheLogCore: the log store reads the registry. */
public class ReadsRegistry {
    Package pkg = new Package();
}
