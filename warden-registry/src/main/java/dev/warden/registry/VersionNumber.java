package dev.warden.registry;

import dev.warden.common.Problem;

import org.semver4j.Semver;

import java.util.Comparator;

/**
 * Strict semantic versions, as npm's {@code semver.valid} accepts them after {@code semver.clean}.
 */
public final class VersionNumber {

    private VersionNumber() {}

    public static final Comparator<String> ORDER =
            Comparator.comparing(
                    VersionNumber::parseOrNull, Comparator.nullsFirst(Comparator.naturalOrder()));

    public static Semver parseOrNull(String version) {
        if (version == null || version.length() > 256) {
            return null;
        }
        Semver v = Semver.parse(version);
        return v != null && v.getVersion().equals(version) ? v : null;
    }

    /** The version if valid and canonical, else a clear error. */
    public static String check(String version) {
        if (version != null && version.indexOf('+') >= 0 && parseOrNull(version) != null) {
            throw Problem.badRequest(
                    "invalid version \""
                            + abbreviate(version)
                            + "\": build metadata (+...) is not accepted, "
                            + "since clients ignore it and 1.0.0+a would stand for 1.0.0");
        }
        if (parseOrNull(version) == null) {
            throw Problem.badRequest(
                    "invalid version \""
                            + (version == null ? "" : abbreviate(version))
                            + "\": a version must be valid semver, like 1.2.3 or 1.0.0-beta.1");
        }
        return version;
    }

    public static boolean isPrerelease(String version) {
        Semver v = parseOrNull(version);
        return v != null && !v.getPreRelease().isEmpty();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
