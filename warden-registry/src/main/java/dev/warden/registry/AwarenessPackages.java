package dev.warden.registry;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Principal;
import dev.warden.awareness.MaintainedPackages;
import dev.warden.awareness.PackageFacts;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.PackageGovernance;
import dev.warden.review.Action;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.Versions.VersionRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The registry's side of awareness's {@link MaintainedPackages} port: who may see a package's
 * posture, and the facts it is computed from, each package in one read transaction.
 */
final class AwarenessPackages implements MaintainedPackages {

    /** The recent releases whose provenance counts. */
    static final int RECENT = 3;

    private final MetadataStore store;
    private final ObjectMapper json;
    private final PackageGovernance governance;

    AwarenessPackages(MetadataStore store, ObjectMapper json, PackageGovernance governance) {
        this.store = store;
        this.json = json;
        this.governance = governance;
    }

    @Override
    public Access access(String pkg, Principal who) {
        return store.read(
                tx -> {
                    boolean live = tx.packages().find(pkg).map(p -> p.live()).orElse(false);
                    if (!live || !Authority.mayRead(tx, pkg, who)) {
                        return Access.HIDDEN;
                    }
                    return who != null
                                    && Authority.mayView(who, pkg)
                                    && Authority.mayMaintain(tx, pkg, who.user())
                            ? Access.MAINTAINER
                            : Access.READER;
                });
    }

    @Override
    public List<String> packagesOf(String user) {
        return store.read(
                tx ->
                        tx.maintainers().packagesOf(user).stream()
                                .filter(n -> tx.packages().find(n).map(p -> p.live()).orElse(false))
                                .sorted()
                                .toList());
    }

    @Override
    public Optional<PackageFacts> facts(String pkg) {
        return store.read(
                tx -> {
                    if (!tx.packages().find(pkg).map(p -> p.live()).orElse(false)) {
                        return Optional.empty();
                    }
                    GovernancePolicy policy = governance.policy(tx, pkg);
                    // the high-impact floor is the registry's, not a policy the package adopted
                    boolean governed =
                            policy.approvals() > 0
                                    && !policy.framework().equals("high-impact floor");
                    List<PackageFacts.Version> recent =
                            tx.versions().all(pkg).stream()
                                    .filter(VersionRecord::live)
                                    .sorted(
                                            Comparator.comparing(VersionRecord::published)
                                                    .reversed())
                                    .limit(RECENT)
                                    .map(
                                            v ->
                                                    new PackageFacts.Version(
                                                            v.version(),
                                                            tx.provenances()
                                                                    .find(pkg, v.version())
                                                                    .isPresent()))
                                    .toList();
                    return Optional.of(
                            new PackageFacts(
                                    pkg,
                                    tx.maintainers().of(pkg),
                                    governance.impact(tx, pkg).highImpact(),
                                    governed,
                                    tx.governance().successors(pkg),
                                    tx.trustedPublishers().of(pkg).size(),
                                    recent,
                                    held(tx, pkg)));
                });
    }

    /** Open stages the registry (not a policy) held: a review's hold or quarantine, or a break. */
    private List<PackageFacts.Held> held(ReadTx tx, String pkg) {
        List<PackageFacts.Held> out = new ArrayList<>();
        for (String state : List.of(PackageGovernance.PENDING, PackageGovernance.APPROVED)) {
            for (StageRecord s : tx.governance().stages(List.of(pkg), state, 0, 100)) {
                Action action = review(s);
                if (action == Action.QUARANTINE) {
                    out.add(new PackageFacts.Held(s.version(), "quarantined"));
                } else if (action == Action.HOLD || s.holdReason() != null) {
                    out.add(new PackageFacts.Held(s.version(), "held"));
                }
            }
        }
        return out;
    }

    private Action review(StageRecord s) {
        if (s.release() == null) {
            return null;
        }
        try {
            ReviewVerdict v = Release.fromJson(json.readTree(s.release())).review();
            return v == null ? null : v.action();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
