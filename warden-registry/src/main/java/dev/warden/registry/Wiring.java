package dev.warden.registry;

import dev.warden.accounts.Organizations;
import dev.warden.governance.GovernanceSettings;
import dev.warden.provenance.sigstore.TrustRoot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * What the registry is connected to and how it is set, given once to its constructor by the
 * composition root: nothing is set on it afterwards.
 *
 * @param guard account-level checks before publishing or changing maintainers
 * @param signer signs every version published ({@code dist.signatures}); null: unsigned
 * @param attestor where statements of changes go; null keeps them in the outbox
 * @param commitments keys of restricted packages' log commitments; null logs their statements whole
 * @param trust the roots provenance bundles verify against, read at each check (the instance's own
 *     may rotate)
 * @param issuerOfType whether a certificate issuer is a CI kind's (for matching trusted publishers)
 * @param listeners told of committed changes (security history, mail)
 * @param orgs organizations, whose changes the registry governs; null: no organizations
 * @param governance what makes a package high-impact, whose approvals count, and succession
 * @param review the release review: its policies, limits, and the reviewer
 */
public record Wiring(
        Registry.SensitiveGuard guard,
        Registry.VersionSigner signer,
        Attestor attestor,
        LogCommitments commitments,
        Supplier<TrustRoot> trust,
        BiPredicate<String, String> issuerOfType,
        List<Registry.Listener> listeners,
        Organizations orgs,
        GovernanceSettings governance,
        ReviewSetup review) {

    public Wiring {
        listeners = List.copyOf(listeners);
    }

    /** Nothing connected: unsigned, unlogged, the public-good trust root, no organizations. */
    public static Wiring none() {
        return new Wiring(
                user -> {},
                null,
                null,
                null,
                TrustRoot::publicGood,
                ProvenanceCheck::publicIssuer,
                List.of(),
                null,
                GovernanceSettings.defaults(),
                ReviewSetup.defaults());
    }

    public Wiring withGuard(Registry.SensitiveGuard guard) {
        return new Wiring(
                guard,
                signer,
                attestor,
                commitments,
                trust,
                issuerOfType,
                listeners,
                orgs,
                governance,
                review);
    }

    public Wiring withSigner(Registry.VersionSigner signer) {
        return new Wiring(
                guard,
                signer,
                attestor,
                commitments,
                trust,
                issuerOfType,
                listeners,
                orgs,
                governance,
                review);
    }

    public Wiring withAttestor(Attestor attestor) {
        return new Wiring(
                guard,
                signer,
                attestor,
                commitments,
                trust,
                issuerOfType,
                listeners,
                orgs,
                governance,
                review);
    }

    public Wiring withCommitments(LogCommitments commitments) {
        return new Wiring(
                guard,
                signer,
                attestor,
                commitments,
                trust,
                issuerOfType,
                listeners,
                orgs,
                governance,
                review);
    }

    public Wiring withTrust(Supplier<TrustRoot> trust, BiPredicate<String, String> issuerOfType) {
        return new Wiring(
                guard,
                signer,
                attestor,
                commitments,
                trust,
                issuerOfType,
                listeners,
                orgs,
                governance,
                review);
    }

    public Wiring withListener(Registry.Listener listener) {
        List<Registry.Listener> all = new ArrayList<>(listeners);
        all.add(listener);
        return new Wiring(
                guard,
                signer,
                attestor,
                commitments,
                trust,
                issuerOfType,
                all,
                orgs,
                governance,
                review);
    }

    public Wiring withOrganizations(Organizations orgs) {
        return new Wiring(
                guard,
                signer,
                attestor,
                commitments,
                trust,
                issuerOfType,
                listeners,
                orgs,
                governance,
                review);
    }

    public Wiring withGovernance(GovernanceSettings governance) {
        return new Wiring(
                guard,
                signer,
                attestor,
                commitments,
                trust,
                issuerOfType,
                listeners,
                orgs,
                governance,
                review);
    }

    public Wiring withReview(ReviewSetup review) {
        return new Wiring(
                guard,
                signer,
                attestor,
                commitments,
                trust,
                issuerOfType,
                listeners,
                orgs,
                governance,
                review);
    }
}
