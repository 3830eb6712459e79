package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.Change;
import dev.warden.governance.PackageGovernance;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.PackageMfa;
import dev.warden.storage.Packages.PackageRecord;

import java.util.Optional;

/**
 * Who may read a package (public or restricted) and its two-factor rule for publishing ({@code npm
 * access}).
 */
final class Access {

    private final MetadataStore store;
    private final Packuments docs;
    private final PackageGovernance governance;
    private final PackageRules rules;
    private final Visibility visibility;
    private final PackageWrites writes;

    Access(
            MetadataStore store,
            Packuments docs,
            PackageGovernance governance,
            PackageRules rules,
            Visibility visibility,
            PackageWrites writes) {
        this.store = store;
        this.docs = docs;
        this.governance = governance;
        this.rules = rules;
        this.visibility = visibility;
        this.writes = writes;
    }

    String visibility(String name, Principal reader) {
        visibility.requireReadable(name, reader);
        return store.read(tx -> tx.packages().find(name).orElseThrow().access());
    }

    void setAccess(String name, String access, Principal principal, boolean approved) {
        Authority.requireWriter(principal, name);
        if (!"public".equals(access) && !"restricted".equals(access) && !"private".equals(access)) {
            throw Problem.badRequest("access must be public or private");
        }
        String value = "private".equals(access) ? "restricted" : access;
        if (value.equals("restricted") && PackageName.parse(name).scope() == null) {
            throw Problem.badRequest("only scoped packages can be made private");
        }
        if (!value.equals(
                store.read(
                        tx -> tx.packages().find(name).map(PackageRecord::access).orElse(value)))) {
            governance.hold(name, new Change.Access(value), principal, approved);
        }
        store.read(
                tx -> {
                    PackageWrites.livePackage(tx, name);
                    Authority.requireMaintainer(
                            tx, name,
                            principal); // before the cache below: a refused caller must change
                    // nothing, not even it
                    return null;
                });
        if (value.equals("restricted")) {
            docs.markRestricted(name); // never serve anonymously while the change commits
        }
        try {
            writes.mutate(
                    name,
                    principal,
                    (tx, now) ->
                            tx.packages()
                                    .update(
                                            tx.packages()
                                                    .find(name)
                                                    .orElseThrow()
                                                    .withAccess(value)));
        } finally {
            docs.forgetRestricted(name);
        }
    }

    /**
     * The package's two-factor rule for publishing ({@code npm access set mfa=...}); none means no
     * rule.
     */
    Optional<PackageMfa.Policy> mfaPolicy(String name) {
        return store.read(tx -> tx.packageMfa().find(name));
    }

    /**
     * {@code npm access set mfa=...}: changing a two-factor rule takes a second factor when the
     * rule is or becomes one that asks it, and no token may bypass that.
     */
    void setMfaPolicy(
            String name,
            boolean publishRequiresTfa,
            boolean automationOverrides,
            Principal principal,
            SecondFactor proof) {
        visibility.refuseUnlessReadable(name, principal, false);
        boolean currentlyRequired =
                mfaPolicy(name).map(PackageMfa.Policy::publishRequiresTfa).orElse(false);
        if (publishRequiresTfa || currentlyRequired) {
            rules.requireTwoFactor(name, principal, proof);
        }
        setMfaPolicy(name, publishRequiresTfa, automationOverrides, principal, false);
    }

    void setMfaPolicy(
            String name,
            boolean publishRequiresTfa,
            boolean automationOverrides,
            Principal principal,
            boolean approved) {
        Authority.requireWriter(principal, name);
        PackageMfa.Policy rule =
                store.read(tx -> tx.packageMfa().find(name)).orElse(PackageMfa.Policy.NONE);
        boolean looser =
                (rule.publishRequiresTfa() && !publishRequiresTfa)
                        || (!rule.automationOverrides() && automationOverrides);
        if (looser) {
            governance.hold(
                    name,
                    new Change.Mfa(publishRequiresTfa, automationOverrides, true),
                    principal,
                    approved);
        }
        writes.mutate(
                name,
                principal,
                (tx, now) ->
                        tx.packageMfa()
                                .put(
                                        name,
                                        new PackageMfa.Policy(
                                                publishRequiresTfa,
                                                automationOverrides,
                                                tx.packageMfa()
                                                        .find(name)
                                                        .map(
                                                                PackageMfa.Policy
                                                                        ::requireTrustedPublisher)
                                                        .orElse(false))));
    }
}
