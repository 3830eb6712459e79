package dev.warden.verify.report;

/** What each check means, for SARIF rules (and anyone else who explains a finding). */
final class CheckHelp {

    private CheckHelp() {}

    static String summary(Check check) {
        return switch (check) {
            case LOCKFILE -> "The lockfile entry is valid";
            case SOURCE -> "The package comes from an allowed source";
            case FETCH -> "What the checks need could be fetched";
            case INTEGRITY -> "The tarball has the integrity the lockfile pins";
            case SIGNATURE -> "The registry signed the version";
            case PROVENANCE -> "The build provenance verifies";
            case PUBLISH_ATTESTATION -> "The registry's publish attestation verifies";
            case SOURCE_REPOSITORY -> "The provenance names the pinned source repository";
            case ISSUER -> "The provenance's OIDC issuer is allowed";
            case LOG -> "The version is in the transparency log";
            case AGE -> "The version is old enough";
            case SCRIPTS -> "Install scripts are allowed for the package";
        };
    }

    static String help(Check check) {
        return switch (check) {
            case LOCKFILE ->
                    "The entry must have a valid npm package name, an exact version and an"
                            + " integrity in a known algorithm (sha512, sha384, sha256, sha1).";
            case SOURCE ->
                    "The policy's [sources] allow lists the kinds allowed (registry, git, url,"
                            + " file); a registry package must come from the project's registry.";
            case FETCH ->
                    "The packument, tarball, keys or attestations could not be fetched (or, with"
                            + " --offline, are not in the cache): nothing could be verified.";
            case INTEGRITY ->
                    "The lockfile's integrity must equal the registry's dist.integrity, and the"
                            + " tarball's bytes must have it.";
            case SIGNATURE ->
                    "dist.signatures must hold an ECDSA signature over name@version:integrity by"
                            + " a key the registry publishes (or the policy pins).";
            case PROVENANCE ->
                    "The SLSA provenance bundle must verify against a trusted root and name this"
                            + " package, version and sha512; [provenance] require makes it"
                            + " mandatory for matching packages.";
            case PUBLISH_ATTESTATION ->
                    "The registry's publish attestation must be signed with a registry key and"
                            + " name this package, version and sha512.";
            case SOURCE_REPOSITORY ->
                    "The first [[source]] whose packages pattern matches pins the repository"
                            + " (and optionally workflow and builder) the provenance must name.";
            case ISSUER -> "[provenance] issuers lists the OIDC issuers a provenance may name.";
            case LOG ->
                    "The registry's transparency-log entry for the version must be included in a"
                            + " checkpoint the log signed.";
            case AGE ->
                    "[age] minimum_days (or minimum_hours) is the minimum time since the version"
                            + " was published, except for packages in [age] exclude.";
            case SCRIPTS ->
                    "A package that runs install scripts must be listed in [scripts] allow when"
                            + " the policy has a [scripts] table.";
        };
    }
}
