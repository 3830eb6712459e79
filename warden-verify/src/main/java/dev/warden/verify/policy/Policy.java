package dev.warden.verify.policy;

/*
 * PLACEHOLDER on main until the policy and report output land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

import dev.warden.verify.lockfile.SourceKind;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

public final class Policy {
    public static Policy defaults() {
        return new Policy();
    }

    public static Policy parse(String toml, String origin) throws PolicyException {
        return new Policy();
    }

    public static Policy load(Path file) throws PolicyException {
        return new Policy();
    }

    public String origin() {
        return "default";
    }

    public boolean provenanceRequired(String name) {
        return false;
    }

    public List<String> allowedIssuers() {
        return List.of();
    }

    public Optional<SourcePin> sourcePin(String name) {
        return Optional.empty();
    }

    public Optional<Duration> minimumAge(String name) {
        return Optional.empty();
    }

    public boolean scriptsAllowed(String name) {
        return true;
    }

    public boolean sourceAllowed(SourceKind kind) {
        return true;
    }

    public Optional<Waiver> waiver(String name, String version, LocalDate today) {
        return Optional.empty();
    }

    public List<Waiver> expired(LocalDate today) {
        return List.of();
    }

    public List<RegistryPin> registries() {
        return List.of();
    }
}
