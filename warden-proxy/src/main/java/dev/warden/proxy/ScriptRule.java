package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.verify.TarballFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code install_scripts = "deny"}: a version that runs code at install is held unless its name is
 * in {@code install_scripts_allow}. The packument's manifest is read for the packument (where no
 * tarball is at hand); at ingest, the tarball's own package.json and binding.gyp decide, since a
 * publisher can make the manifest say otherwise (manifest confusion).
 */
final class ScriptRule {

    private static final List<String> HOOKS = List.of("preinstall", "install", "postinstall");

    private final boolean deny;
    private final List<String> allowed;

    ScriptRule(ProxySettings settings) {
        this.deny = settings.denyInstallScripts();
        // Matched by the engine that checked the configuration, so the two never disagree.
        this.allowed = List.copyOf(settings.installScriptsAllow());
    }

    /** From the packument: the scripts its manifest of the version names. */
    Optional<String> holdFromManifest(String name, String version, JsonNode versionDoc) {
        if (!applies(name)) {
            return Optional.empty();
        }
        List<String> scripts = new ArrayList<>();
        for (String hook : HOOKS) {
            if (versionDoc.path("scripts").hasNonNull(hook)) {
                scripts.add(hook);
            }
        }
        if (scripts.isEmpty()
                && (versionDoc.path("hasInstallScript").asBoolean(false)
                        || versionDoc.path("gypfile").asBoolean(false))) {
            scripts.add("an install script (hasInstallScript)");
        }
        return scripts.isEmpty() ? Optional.empty() : Optional.of(reason(name, version, scripts));
    }

    /**
     * From the tarball: whether its package.json or a binding.gyp runs code at install. A tarball
     * whose scripts could not be read counts as one that has them: npm may still install it.
     */
    Optional<String> holdFromTarball(String name, String version, TarballFacts facts) {
        if (!applies(name)) {
            return Optional.empty();
        }
        if (facts.unread() != null) {
            return Optional.of(
                    "install scripts are not allowed: "
                            + name
                            + "@"
                            + version
                            + "'s tarball cannot be read for them ("
                            + facts.unread()
                            + "), so it counts as running them"
                            + " (proxy.install_scripts_allow lists the packages that may)");
        }
        if (!facts.installScripts()) {
            return Optional.empty();
        }
        return Optional.of(
                reason(name, version, List.of("its package.json or binding.gyp in the tarball")));
    }

    private boolean applies(String name) {
        return deny && !NamePatterns.any(allowed, name);
    }

    private static String reason(String name, String version, List<String> what) {
        return "install scripts are not allowed: "
                + name
                + "@"
                + version
                + " runs "
                + String.join(", ", what)
                + " (proxy.install_scripts_allow lists the packages that may)";
    }
}
