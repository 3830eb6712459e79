package dev.warden.verify;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a lockfile's package name is one a registry could serve. Names are checked before any URL
 * is built from them, so a name like {@code ../../x} never reaches the network or the cache. Old
 * names with capitals are accepted, as registries still serve them.
 */
final class PackageNames {

    private static final Pattern NAME =
            Pattern.compile("(@[A-Za-z0-9~-][A-Za-z0-9._~-]*/)?[A-Za-z0-9~-][A-Za-z0-9._~-]*");

    private PackageNames() {}

    /** Why the name is not valid, or empty. */
    static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("the package has no name");
        }
        if (name.length() > 214) {
            return Optional.of("name is longer than 214 characters");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of(
                    "'"
                            + Integrity.shorten(name)
                            + "' is not a package name (a path, a URL or characters a registry does"
                            + " not allow)");
        }
        return Optional.empty();
    }

    /** The name as one URL path segment: {@code @scope%2fname}. */
    static String pathSegment(String name) {
        return name.replace("/", "%2f");
    }
}
