package dev.warden.registry;

import dev.warden.awareness.PackageStanding;
import dev.warden.governance.PackageGovernance;

/** The registry's answers to what maintainer awareness asks of a package (its ports). */
public final class AwarenessLink implements PackageStanding {

    private final PackageGovernance governance;

    public AwarenessLink(Registry registry) {
        this.governance = registry.governance();
    }

    @Override
    public boolean highImpact(String pkg) {
        return governance.highImpact(pkg);
    }

    @Override
    public boolean governed(String pkg) {
        return governance.policy(pkg).approvals() > 0;
    }

    @Override
    public boolean policyRequiresPasskeys(String pkg) {
        return governance.policy(pkg).requirePasskeys();
    }
}
