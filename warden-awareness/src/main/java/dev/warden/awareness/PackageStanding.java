package dev.warden.awareness;

/** What awareness needs to know of a package from the registry (which implements it). */
public interface PackageStanding {

    /** Whether the package is high-impact (downloads or dependents). */
    boolean highImpact(String pkg);

    /** Whether the package's policy in force asks approvals. */
    boolean governed(String pkg);

    /** Whether the package's policy asks its maintainers for passkeys. */
    boolean policyRequiresPasskeys(String pkg);
}
