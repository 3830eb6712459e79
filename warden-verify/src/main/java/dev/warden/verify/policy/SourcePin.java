package dev.warden.verify.policy;

import java.util.Locale;

/**
 * A {@code [[source]]} of the policy: the packages its pattern matches must carry provenance that
 * names this repository (and, when given, this workflow and builder).
 *
 * @param packages the name pattern, as written
 * @param repository the repository, as written: {@code github.com/acme/monorepo} (a scheme and a
 *     trailing {@code .git} or {@code /} are allowed and ignored when comparing)
 * @param workflow the workflow file's path in the repository ({@code
 *     .github/workflows/release.yml}), or {@code null} for any
 * @param builder the builder id the provenance must name exactly, or {@code null} for any
 */
public record SourcePin(String packages, String repository, String workflow, String builder) {

    /**
     * Whether a provenance's source repository URI (Fulcio's "Source Repository URI", e.g. {@code
     * https://github.com/acme/monorepo}) is the pinned one. Host and path compare as written,
     * except that a scheme, a trailing {@code .git} and trailing slashes do not count, and the host
     * is compared without case.
     */
    public boolean repositoryMatches(String repositoryUri) {
        return repositoryUri != null
                && normalizeRepository(repositoryUri).equals(normalizeRepository(repository));
    }

    /**
     * Whether a provenance's build configuration URI (Fulcio's "Build Config URI", e.g. {@code
     * https://github.com/acme/monorepo/.github/workflows/release.yml@refs/tags/v1}) runs the pinned
     * workflow of the pinned repository: always when no workflow is pinned. The {@code @ref} does
     * not count: a pin names a file, and tags differ per release.
     */
    public boolean workflowMatches(String buildConfigUri) {
        if (workflow == null) {
            return true;
        }
        if (buildConfigUri == null) {
            return false;
        }
        int at = buildConfigUri.indexOf('@');
        String withoutRef = at < 0 ? buildConfigUri : buildConfigUri.substring(0, at);
        String expected = normalizeRepository(repository) + "/" + strip(workflow);
        return normalizeRepository(withoutRef).equals(expected);
    }

    /** Whether a provenance's builder id is the pinned one: always when none is pinned. */
    public boolean builderMatches(String builderId) {
        return builder == null || builder.equals(builderId);
    }

    static String normalizeRepository(String uri) {
        String s = uri.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith(".git")) {
            s = s.substring(0, s.length() - 4);
        }
        int slash = s.indexOf('/');
        return slash < 0
                ? s.toLowerCase(Locale.ROOT)
                : s.substring(0, slash).toLowerCase(Locale.ROOT) + s.substring(slash);
    }

    private static String strip(String path) {
        String s = path.strip();
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s;
    }
}
