package dev.warden.awareness;

import dev.warden.awareness.Step.Importance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The steps of a package's posture: its held releases, governance where its impact is high, its
 * maintainers' second factors, trusted publishing, provenance and successors. A pure function of
 * the facts.
 */
final class PackageRules {

    private PackageRules() {}

    /**
     * @param factors each maintainer's strongest second factor
     */
    static List<Step> steps(PackageFacts p, Map<String, SecondFactorKind> factors, Links links) {
        List<Step> out = new ArrayList<>();
        String page = links.pkg(p.name());
        boolean critical = p.highImpact() || p.governed();
        if (!p.held().isEmpty()) {
            out.add(
                    new Step(
                            StepIds.REVIEW_HELD_RELEASES,
                            Importance.IMPORTANT,
                            StepIds.title(StepIds.REVIEW_HELD_RELEASES),
                            p.name()
                                    + " has "
                                    + String.join(
                                            ", ",
                                            p.held().stream()
                                                    .map(h -> h.version() + " (" + h.state() + ")")
                                                    .toList())
                                    + " waiting for its maintainers: were they yours?",
                            page,
                            null,
                            p.name()));
        }
        if (p.highImpact() && !p.governed()) {
            out.add(
                    new Step(
                            StepIds.ADOPT_GOVERNANCE,
                            Importance.IMPORTANT,
                            StepIds.title(StepIds.ADOPT_GOVERNANCE),
                            p.name()
                                    + " is high-impact and one maintainer's credential publishes"
                                    + " it alone",
                            page,
                            "PUT /-/package/"
                                    + p.name().replace("/", "%2f")
                                    + "/governance {\"framework\":\"two-person\"}",
                            p.name()));
        }
        List<String> weak =
                p.maintainers().stream()
                        .filter(
                                m ->
                                        factors.getOrDefault(m, SecondFactorKind.NONE)
                                                != SecondFactorKind.PASSKEY)
                        .map(
                                m ->
                                        m
                                                + " ("
                                                + factors.getOrDefault(m, SecondFactorKind.NONE)
                                                        .label()
                                                + ")")
                        .toList();
        if (!weak.isEmpty()) {
            out.add(
                    new Step(
                            StepIds.MAINTAINERS_ADD_PASSKEYS,
                            critical ? Importance.IMPORTANT : Importance.RECOMMENDED,
                            StepIds.title(StepIds.MAINTAINERS_ADD_PASSKEYS),
                            "maintainers of "
                                    + p.name()
                                    + " without phishing-resistant 2FA: "
                                    + String.join(", ", weak),
                            page,
                            null,
                            p.name()));
        }
        if (!p.recent().isEmpty() && p.trustedPublishers() == 0) {
            out.add(
                    new Step(
                            StepIds.CONFIGURE_TRUSTED_PUBLISHING,
                            Importance.RECOMMENDED,
                            StepIds.title(StepIds.CONFIGURE_TRUSTED_PUBLISHING),
                            p.name()
                                    + " has no trusted publisher, so releases need a long-lived"
                                    + " token",
                            Links.TRUST_DOCS,
                            "npm trust github "
                                    + p.name()
                                    + " --repo <owner/repo> --file <workflow>",
                            p.name()));
        }
        List<String> unproven =
                p.recent().stream()
                        .filter(v -> !v.provenance())
                        .map(PackageFacts.Version::version)
                        .toList();
        if (!unproven.isEmpty()) {
            out.add(
                    new Step(
                            StepIds.PUBLISH_WITH_PROVENANCE,
                            Importance.RECOMMENDED,
                            StepIds.title(StepIds.PUBLISH_WITH_PROVENANCE),
                            p.name()
                                    + " "
                                    + String.join(", ", unproven)
                                    + " carr"
                                    + (unproven.size() == 1 ? "ies" : "y")
                                    + " no provenance: no one can check where "
                                    + (unproven.size() == 1 ? "it was" : "they were")
                                    + " built",
                            Links.PROVENANCE_DOCS,
                            "npm publish --provenance",
                            p.name()));
        }
        if (p.successors().isEmpty()) {
            out.add(
                    new Step(
                            StepIds.NAME_SUCCESSORS,
                            Importance.RECOMMENDED,
                            StepIds.title(StepIds.NAME_SUCCESSORS),
                            p.name() + " names no one to take it over if its maintainers go quiet",
                            page,
                            null,
                            p.name()));
        }
        return out;
    }
}
