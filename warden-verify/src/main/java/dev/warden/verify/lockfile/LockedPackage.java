package dev.warden.verify.lockfile;

import java.util.List;

/**
 * One package as a lockfile pins it.
 *
 * @param name the package name as the lockfile gives it (not yet validated: a verifier reports an
 *     invalid one as a finding and fetches nothing for it)
 * @param version the exact version
 * @param kind where it comes from
 * @param resolved the tarball URL for {@link SourceKind#REGISTRY} and {@link SourceKind#URL}, the
 *     git URL with its commit, or the path; {@code null} when the lockfile does not say (yarn berry
 *     and pnpm give no URL for registry packages: the verifier takes the registry's)
 * @param integrity the Subresource Integrity string the lockfile pins ({@code sha512-...}, maybe
 *     several separated by spaces), or {@code null}; yarn berry's own checksum is not one
 * @param installScript the lockfile says the package runs install scripts (npm's {@code
 *     hasInstallScript}, pnpm's {@code requiresBuild}); {@code false} when it does not say
 * @param paths where the package sits in the tree (e.g. {@code node_modules/a/node_modules/b}, or
 *     the lockfile's key for it), at least one, for the report
 */
public record LockedPackage(
        String name,
        String version,
        SourceKind kind,
        String resolved,
        String integrity,
        boolean installScript,
        List<String> paths) {

    public LockedPackage {
        paths = List.copyOf(paths);
    }

    /** {@code name@version}. */
    public String spec() {
        return name + "@" + version;
    }
}
