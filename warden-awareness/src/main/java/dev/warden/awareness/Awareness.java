package dev.warden.awareness;

/**
 * Maintainer security awareness: what the registry tells each maintainer about their own exposure
 * (posture and its next steps), what it teaches (guides and exercises checked from state), and how
 * maintainers help each other (private advisories published as OSV records, malware reports).
 *
 * <p>This module depends on the storage contracts, accounts and common only. What it needs of the
 * registry (a package's maintainers, impact, governance, releases) comes in as its own ports, which
 * the registry implements, as governance's do.
 */
public final class Awareness {

    private Awareness() {}

    /** The module's name in logs and metrics. */
    public static final String NAME = "awareness";
}
