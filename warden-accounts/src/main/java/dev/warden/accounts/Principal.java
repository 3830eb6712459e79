package dev.warden.accounts;

import java.util.List;

/**
 * Who a request acts for and with what limits.
 *
 * @param tokenHash the hash of the token used, or null when authenticated by password
 * @param bypass2fa whether the token was made to write without an OTP where that is allowed
 * @param limits which packages the credential may act on
 * @param publisher for a token issued to a trusted publisher's CI job: which one, and what the job
 *     proved about itself; null for a person's credential. Such a principal's {@code user} is the
 *     CI's display name ("GitHub Actions"), never an account's.
 */
public record Principal(
        String user,
        boolean readOnly,
        String tokenHash,
        boolean bypass2fa,
        TokenLimits limits,
        Publisher publisher) {

    public Principal(String user, boolean readOnly, String tokenHash) {
        this(user, readOnly, tokenHash, false, TokenLimits.NONE, null);
    }

    public Principal(
            String user,
            boolean readOnly,
            String tokenHash,
            boolean bypass2fa,
            TokenLimits limits) {
        this(user, readOnly, tokenHash, bypass2fa, limits, null);
    }

    /**
     * A CI job acting as a package's trusted publisher.
     *
     * @param trustId the trusted publisher configuration the job matched
     * @param type "github", "gitlab" or "circleci"
     * @param permissions what the configuration allows: "createPackage" and/or
     *     "createStagedPackage"
     * @param identity JSON: repository, workflow, ref and run the job's ID token named
     */
    public record Publisher(
            String pkg, String trustId, String type, List<String> permissions, String identity) {}

    public boolean canWrite() {
        return !readOnly;
    }

    /**
     * Whether this credential may change {@code pkg} at all (maintainership is checked separately).
     */
    public boolean mayWrite(String pkg) {
        return !readOnly && limits.covers(pkg);
    }

    /**
     * The packages a granular token is limited to: named packages, whole scopes ({@code @scope}),
     * or everything the user maintains when both lists are empty.
     */
    public record TokenLimits(List<String> packages, List<String> scopes) {
        public static final TokenLimits NONE = new TokenLimits(List.of(), List.of());

        public boolean covers(String pkg) {
            if (packages.isEmpty() && scopes.isEmpty()) {
                return true;
            }
            if (packages.contains(pkg)) {
                return true;
            }
            int slash = pkg.indexOf('/');
            return pkg.startsWith("@") && slash > 0 && scopes.contains(pkg.substring(0, slash));
        }
    }
}
