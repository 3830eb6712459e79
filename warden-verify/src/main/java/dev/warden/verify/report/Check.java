package dev.warden.verify.report;

/**
 * What is checked of a locked package. The ids are stable: they name findings in the table, in JSON
 * ({@code check}) and in SARIF ({@code ruleId}).
 */
public enum Check {
    /**
     * The lockfile's entry itself: a valid package name and version, a known integrity algorithm.
     */
    LOCKFILE("lockfile"),
    /**
     * Where it comes from: registry, git, URL, file; a registry host other than the expected one.
     */
    SOURCE("source"),
    /** Fetching what the checks need: the packument, keys, attestations, tarball, log. */
    FETCH("fetch"),
    /** The lockfile's integrity equals the registry's, and the tarball's bytes have it. */
    INTEGRITY("integrity"),
    /** The registry's signature over {@code name@version:integrity} with a key it publishes. */
    SIGNATURE("signature"),
    /**
     * The SLSA provenance bundle: verified against trusted roots, bound to name, version, sha512.
     */
    PROVENANCE("provenance"),
    /** The registry's publish attestation, bound to name, version, sha512. */
    PUBLISH_ATTESTATION("publish-attestation"),
    /** The provenance names the repository (workflow, builder) the policy pins for the package. */
    SOURCE_REPOSITORY("source-repository"),
    /** The provenance's OIDC issuer is one the policy allows. */
    ISSUER("issuer"),
    /** The transparency-log entry of the version is included in a checkpoint the log signed. */
    LOG("log"),
    /** The version is at least as old as the policy's minimum release age. */
    AGE("age"),
    /** The version runs install scripts, and the policy allows them for it. */
    SCRIPTS("scripts");

    private final String id;

    Check(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
