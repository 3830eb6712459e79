package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.PackageGovernance;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.PackageMfa;

import java.util.Optional;

/**
 * A package's own rules for whoever changes it, beyond their credential: a governed or high-impact
 * package asks its maintainers to have two-factor authentication on, a policy of {@code
 * every-change} asks a one-time password on every change, and npm's package 2FA rule ({@code npm
 * access set mfa=publish}) asks one on every change unless the token is an automation token the
 * rule lets through. A trusted publisher proved itself with its CI's ID token: these rules do not
 * apply to it.
 */
final class PackageRules {

    private final MetadataStore store;
    private final PackageGovernance governance;

    PackageRules(MetadataStore store, PackageGovernance governance) {
        this.store = store;
        this.governance = governance;
    }

    private record Facts(
            String twoFactor,
            boolean highImpact,
            Optional<PackageMfa.Policy> mfa,
            boolean accountHasTwoFactor) {}

    void authorize(String name, Principal principal, SecondFactor proof) {
        if (principal.publisher() != null) {
            return;
        }
        Facts f =
                store.read(
                        tx -> {
                            GovernancePolicy policy = governance.policy(tx, name);
                            return new Facts(
                                    policy.twoFactor(),
                                    governance.impact(tx, name).highImpact(),
                                    tx.packageMfa().find(name),
                                    tx.twoFactor()
                                            .find(principal.user())
                                            .filter(r -> !r.pending())
                                            .isPresent());
                        });
        if (!f.twoFactor().equals("none") || f.highImpact()) {
            // the package's policy (or the high-impact floor): whoever changes it has two-factor
            // authentication
            requireTwoFactorAccount(f, name);
        }
        if (f.twoFactor().equals("every-change")) {
            proof.require();
        }
        if (f.mfa().filter(PackageMfa.Policy::publishRequiresTfa).isPresent()) {
            PackageMfa.Policy rule = f.mfa().get();
            if (!(rule.automationOverrides() && principal.bypass2fa())) {
                requireTwoFactorAccount(f, name);
                proof.require();
            }
        }
    }

    /** The account has two-factor authentication on, and the request carries a second factor. */
    void requireTwoFactor(String name, Principal principal, SecondFactor proof) {
        boolean on =
                store.read(
                        tx ->
                                tx.twoFactor()
                                        .find(principal.user())
                                        .filter(r -> !r.pending())
                                        .isPresent());
        if (!on) {
            throw Problem.forbidden(
                    Problem.clip(name)
                            + " requires two-factor authentication to publish: enable it with npm"
                            + " profile enable-2fa");
        }
        proof.require();
    }

    private static void requireTwoFactorAccount(Facts f, String name) {
        if (!f.accountHasTwoFactor()) {
            throw Problem.forbidden(
                    Problem.clip(name)
                            + " requires two-factor authentication to publish: enable it with npm"
                            + " profile enable-2fa");
        }
    }
}
