package dev.warden.verify.lockfile;

import java.util.Locale;

/** What kind of source a lockfile's URL or spec names; shared by the formats. */
final class Sources {

    private Sources() {}

    /**
     * The kind of a resolved URL or spec of package {@code name}: git URLs and hosted-git
     * shorthands are {@link SourceKind#GIT}, {@code file:} and relative paths {@link
     * SourceKind#FILE}, {@code link:} and {@code portal:} {@link SourceKind#LINK}, an http(s) URL
     * whose path ends in the registry's {@code <name>/-/<file>.tgz} shape {@link
     * SourceKind#REGISTRY} (whatever its host: the verifier compares the host with the expected
     * registry), any other URL {@link SourceKind#URL}.
     */
    static SourceKind kindOf(String name, String resolved) {
        String r = resolved.toLowerCase(Locale.ROOT);
        if (isGit(r)) {
            return SourceKind.GIT;
        }
        if (r.startsWith("link:") || r.startsWith("portal:")) {
            return SourceKind.LINK;
        }
        if (r.startsWith("http://") || r.startsWith("https://")) {
            return isRegistryTarball(name, resolved) ? SourceKind.REGISTRY : SourceKind.URL;
        }
        if (r.startsWith("file:") || !r.contains(":")) {
            return SourceKind.FILE;
        }
        return SourceKind.URL;
    }

    static boolean isGit(String lowerCased) {
        return lowerCased.startsWith("git+")
                || lowerCased.startsWith("git:")
                || lowerCased.startsWith("git@")
                || lowerCased.startsWith("github:")
                || lowerCased.startsWith("gitlab:")
                || lowerCased.startsWith("bitbucket:")
                || lowerCased.startsWith("gist:");
    }

    /**
     * True when the URL's path is {@code .../<name>/-/<unscoped name>-<something>.tgz}, the shape
     * npm-compatible registries serve tarballs under (scoped names as {@code @scope/name} or
     * {@code @scope%2fname}). The query and fragment are ignored.
     */
    static boolean isRegistryTarball(String name, String url) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        String path = url;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        int slash = name.indexOf('/');
        String base = slash >= 0 ? name.substring(slash + 1) : name;
        String file = "/-/" + base + "-";
        int at = path.lastIndexOf(file);
        if (at < 0 || !path.endsWith(".tgz")) {
            return false;
        }
        String before = path.substring(0, at);
        if (before.endsWith("/" + name)) {
            return true;
        }
        return slash >= 0
                && before.toLowerCase(Locale.ROOT)
                        .endsWith(
                                "/"
                                        + name.substring(0, slash).toLowerCase(Locale.ROOT)
                                        + "%2f"
                                        + base.toLowerCase(Locale.ROOT));
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /**
     * Splits {@code name@rest} at the {@code @} after the name (a scoped name starts with one);
     * {@code null} when there is none.
     */
    static String[] splitNameAt(String spec) {
        int at = spec.indexOf('@', spec.startsWith("@") ? 1 : 0);
        if (at <= 0) {
            return null;
        }
        return new String[] {spec.substring(0, at), spec.substring(at + 1)};
    }
}
