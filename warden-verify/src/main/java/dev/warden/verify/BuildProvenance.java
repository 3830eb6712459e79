package dev.warden.verify;

import dev.warden.provenance.sigstore.NpmProvenance;
import dev.warden.verify.policy.Policy;
import dev.warden.verify.policy.SourcePin;
import dev.warden.verify.report.Check;
import dev.warden.verify.report.Finding;

import java.util.List;
import java.util.Optional;

/**
 * A version's SLSA provenance: the bundle verified offline against the trusted roots and bound to
 * the package, version and tarball (npm's rules, {@link NpmProvenance}), then held against what the
 * policy pins for the package (source repository, workflow, builder) and the OIDC issuers it
 * allows.
 */
final class BuildProvenance {

    private BuildProvenance() {}

    /** The checks of a version that has a provenance bundle, from its verdict. */
    static void check(
            List<Finding> out, ProvenanceVerdicts.Verdict verdict, String name, Policy policy) {
        if (verdict.failure() != null) {
            out.add(Finding.fail(Check.PROVENANCE, verdict.failure()));
            return;
        }
        NpmProvenance p = verdict.facts();
        out.add(
                Finding.pass(
                        Check.PROVENANCE,
                        "built from "
                                + p.sourceRepository()
                                + (p.sourceCommit() == null
                                        ? ""
                                        : "@" + shortCommit(p.sourceCommit()))
                                + " by "
                                + p.workflow()
                                + " ("
                                + p.issuer()
                                + ")"));
        Optional<SourcePin> pin = policy.sourcePin(name);
        pin.ifPresent(s -> out.add(pinned(s, p)));
        List<String> issuers = policy.allowedIssuers();
        if (!issuers.isEmpty()) {
            out.add(
                    issuers.contains(p.issuer())
                            ? Finding.pass(Check.ISSUER, "signed through " + p.issuer())
                            : Finding.fail(
                                    Check.ISSUER,
                                    "signed through OIDC issuer "
                                            + p.issuer()
                                            + ", which the policy does not allow ("
                                            + String.join(", ", issuers)
                                            + ")"));
        }
    }

    /** The checks of a version without provenance. */
    static void missing(List<Finding> out, String name, Policy policy) {
        Optional<SourcePin> pin = policy.sourcePin(name);
        if (policy.provenanceRequired(name)) {
            out.add(
                    Finding.fail(
                            Check.PROVENANCE,
                            "the policy requires provenance for "
                                    + name
                                    + ", and this version has none"));
        } else {
            out.add(Finding.info(Check.PROVENANCE, "no provenance"));
        }
        pin.ifPresent(
                s ->
                        out.add(
                                Finding.fail(
                                        Check.SOURCE_REPOSITORY,
                                        "the policy pins "
                                                + s.packages()
                                                + " to "
                                                + s.repository()
                                                + ", and this version has no provenance to show"
                                                + " it")));
    }

    private static Finding pinned(SourcePin pin, NpmProvenance p) {
        if (!pin.repositoryMatches(p.sourceRepository())) {
            return Finding.fail(
                    Check.SOURCE_REPOSITORY,
                    "built from "
                            + p.sourceRepository()
                            + ", but the policy pins "
                            + pin.packages()
                            + " to "
                            + pin.repository());
        }
        if (!pin.workflowMatches(p.workflow())) {
            return Finding.fail(
                    Check.SOURCE_REPOSITORY,
                    "built by workflow "
                            + p.workflow()
                            + ", but the policy pins "
                            + pin.packages()
                            + " to "
                            + pin.workflow());
        }
        if (!pin.builderMatches(p.builder())) {
            return Finding.fail(
                    Check.SOURCE_REPOSITORY,
                    "built by builder "
                            + p.builder()
                            + ", but the policy pins "
                            + pin.packages()
                            + " to "
                            + pin.builder());
        }
        return Finding.pass(
                Check.SOURCE_REPOSITORY, "built from " + pin.repository() + " as the policy pins");
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
