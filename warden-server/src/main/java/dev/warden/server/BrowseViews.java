package dev.warden.server;

import java.util.List;

/**
 * What the browsing pages (home, search, a package's releases) show, as their templates take it:
 * plain values gathered by {@link BrowsePages} and {@link PackagePages}, escaped by the templates.
 * A {@code path} is a package name (or version) as one URL path segment.
 */
final class BrowseViews {

    private BrowseViews() {}

    /** The day of an ISO-8601 instant ("2026-12-05"), or the text itself when it is not one. */
    static String day(String instant) {
        return instant.length() >= 10 && instant.charAt(4) == '-' && instant.charAt(7) == '-'
                ? instant.substring(0, 10)
                : instant;
    }

    /** A size for people: "512 B", "12.3 kB", "4.5 MB" (powers of 1000, as npm prints them). */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int unit = -1;
        while (v >= 1000 && unit < units.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    /** A package in a list: the home page's recent and popular ones. */
    record Listed(
            String name,
            String path,
            String version,
            String description,
            String when,
            long downloads) {}

    record Home(List<Listed> recent, List<Listed> popular) {}

    /**
     * @param query the text searched for ("" when none)
     * @param hint what to do when nothing was searched, or null
     * @param previous the previous page's URL, or null
     * @param next the next page's URL, or null
     * @param back the first page's URL when the page asked for is past the results, else null
     */
    record Search(
            String query,
            String hint,
            List<Hit> hits,
            long total,
            int page,
            long pages,
            String previous,
            String next,
            String back) {}

    record Hit(
            String name,
            String path,
            String version,
            String description,
            List<String> keywords,
            String date) {}

    /**
     * One release of a package as its page shows it.
     *
     * @param readme the sanitised README HTML, or null when the release has none
     * @param repository the repository's web address (http or https), or null
     * @param homepage the homepage (http or https), or null
     * @param tarballSize the tarball's size in bytes, or -1 when unknown
     * @param provenance where it was built, or null when published without provenance
     * @param logIndex the registry's transparency-log entry of the publish, or null
     */
    record Release(
            String name,
            String path,
            String version,
            String versionPath,
            boolean latest,
            String description,
            String install,
            String readme,
            boolean readmeTruncated,
            String license,
            String repository,
            String homepage,
            String published,
            long unpackedSize,
            long fileCount,
            long tarballSize,
            List<VersionRow> versions,
            List<Dependency> dependencies,
            int dependentCount,
            List<Named> dependents,
            Build provenance,
            Long logIndex) {}

    /**
     * @param tags the dist-tags pointing at it
     * @param deprecated the deprecation message, or null
     */
    record VersionRow(
            String version,
            String path,
            String date,
            List<String> tags,
            String deprecated,
            boolean shown) {}

    /**
     * @param path the package's path segment when it is here (a link), else null
     */
    record Dependency(String name, String range, String kind, String path) {}

    record Named(String name, String path) {}

    /**
     * A release's verified provenance.
     *
     * @param run the CI run's address, or null when it is not http(s)
     * @param rekorIndex the signature's entry in the Sigstore log, or -1
     */
    record Build(
            String repository,
            String commit,
            String ref,
            String workflow,
            String run,
            String builder,
            String signedAt,
            long rekorIndex) {}

    /**
     * The package page: its governance (as before) and the release shown.
     *
     * @param release null when no release can be shown (only staged or quarantined ones)
     * @param notice why no release is shown, or null
     */
    record PackagePage(Views.Package governance, Release release, String notice) {}
}
