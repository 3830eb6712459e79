package dev.warden.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.Governance.PolicyRecord;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each package's versioned governance policy and its impact (weekly downloads, dependents): a
 * high-impact package with two maintainers asks at least one approval whatever its own policy says.
 */
final class Policies {

    private final PackageFacts facts;
    private final Events events;
    private final MetadataStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Maintainers maintainers;

    /**
     * @param settings what makes a package high-impact
     */
    Policies(
            PackageFacts facts,
            Events events,
            MetadataStore store,
            ObjectMapper json,
            Clock clock,
            Maintainers maintainers,
            GovernanceSettings settings) {
        this.highImpactDownloads = settings.highImpactWeeklyDownloads();
        this.highImpactDependents = settings.highImpactDependents();
        this.facts = facts;
        this.events = events;
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.maintainers = maintainers;
    }

    /**
     * The policy in force for {@code pkg} ({@link GovernancePolicy#SOLO} when it never had one).
     */
    GovernancePolicy policy(String pkg) {
        return store.read(tx -> policy(tx, pkg));
    }

    /**
     * The policy in force: the package's own, raised to the high-impact floor when the package is
     * high-impact (at least one other maintainer's approval once there are two maintainers).
     */
    GovernancePolicy policy(ReadTx tx, String pkg) {
        GovernancePolicy own = ownPolicy(tx, pkg);
        if (own.approvals() == 0
                && tx.maintainers().of(pkg).size() >= 2
                && impact(tx, pkg).highImpact()) {
            return new GovernancePolicy(
                    "high-impact floor",
                    1,
                    own.coolOffHours(),
                    own.twoFactor().equals("none") ? "account" : own.twoFactor(),
                    own.requirePasskeys(),
                    own.review());
        }
        return own;
    }

    private GovernancePolicy ownPolicy(ReadTx tx, String pkg) {
        return tx.governance()
                .policy(pkg)
                .map(p -> GovernancePolicy.fromJson(read(p.policy())))
                .orElse(GovernancePolicy.SOLO);
    }

    // ---------------------------------------------------------------- impact

    /** What makes a package high-impact: weekly downloads or dependents at or above these. */
    private final long highImpactDownloads;

    private final int highImpactDependents;

    PackageGovernance.Impact impact(String pkg, Principal reader) {
        facts.requireReadable(pkg, reader);
        return store.read(
                tx -> {
                    tx.packages()
                            .find(pkg)
                            .filter(p -> p.live())
                            .orElseThrow(
                                    () ->
                                            Problem.notFound(
                                                    "package " + Problem.clip(pkg) + " not found"));
                    return impact(tx, pkg);
                });
    }

    PackageGovernance.Impact impact(ReadTx tx, String pkg) {
        long weekly = facts.weeklyDownloads(tx, pkg);
        int dependents = tx.dependencies().dependentCount(pkg);
        return new PackageGovernance.Impact(
                weekly,
                dependents,
                weekly >= highImpactDownloads || dependents >= highImpactDependents,
                highImpactDownloads,
                highImpactDependents);
    }

    /** Whether {@code pkg} is high-impact now (false for a package that does not exist). */
    boolean highImpact(String pkg) {
        return store.read(tx -> impact(tx, pkg).highImpact());
    }

    /** The public record of a package's policy: every version, newest last. */
    ObjectNode policyDocument(String pkg, Principal reader) {
        facts.requireReadable(pkg, reader);
        return store.read(
                tx -> {
                    tx.packages()
                            .find(pkg)
                            .filter(p -> p.live())
                            .orElseThrow(
                                    () ->
                                            Problem.notFound(
                                                    "package " + Problem.clip(pkg) + " not found"));
                    ObjectNode out = json.createObjectNode();
                    out.put("package", pkg);
                    out.set("policy", policy(tx, pkg).toJson());
                    out.set("ownPolicy", ownPolicy(tx, pkg).toJson());
                    out.put(
                            "requireTrustedPublisher",
                            tx.packageMfa()
                                    .find(pkg)
                                    .map(m -> m.requireTrustedPublisher())
                                    .orElse(false));
                    out.set("successors", json.valueToTree(tx.governance().successors(pkg)));
                    out.set("impact", json.valueToTree(impact(tx, pkg)));
                    ArrayNode maintainers = out.putArray("maintainers");
                    tx.maintainers().of(pkg).forEach(maintainers::add);
                    ArrayNode history = out.putArray("versions");
                    for (PolicyRecord p : tx.governance().policies(pkg)) {
                        ObjectNode v = history.addObject();
                        v.put("version", p.version());
                        v.set("policy", read(p.policy()));
                        v.put("created", p.created().toString());
                        v.put("by", p.createdBy());
                    }
                    out.put(
                            "version",
                            tx.governance().policy(pkg).map(PolicyRecord::version).orElse(0));
                    return out;
                });
    }

    /**
     * Thrown inside the policy transaction when a change would loosen it: it is then held for
     * approval.
     */
    static final class LooserPolicy extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient GovernancePolicy current;

        LooserPolicy(GovernancePolicy current) {
            super(null, null, false, false);
            this.current = current;
        }
    }

    List<Long> writePolicy(
            String pkg, GovernancePolicy next, Principal principal, boolean approved) {
        Events.Batch events = this.events.batch();
        store.write(
                tx -> {
                    tx.packages()
                            .find(pkg)
                            .filter(p -> p.live())
                            .orElseThrow(
                                    () ->
                                            Problem.notFound(
                                                    "package " + Problem.clip(pkg) + " not found"));
                    maintainers.require(tx, pkg, principal);
                    GovernancePolicy current = ownPolicy(tx, pkg);
                    int maintainers = tx.maintainers().of(pkg).size();
                    if (next.approvals() > 0 && next.approvals() > maintainers - 1) {
                        throw Problem.badRequest(
                                "this policy cannot be met: "
                                        + next.approvals()
                                        + " approvals from maintainers other than the one "
                                        + "who staged a release need at least "
                                        + (next.approvals() + 1)
                                        + " maintainers, and "
                                        + pkg
                                        + " has "
                                        + maintainers);
                    }
                    if (next.looserThan(current) && current.approvals() > 0 && !approved) {
                        throw new LooserPolicy(current);
                    }
                    if (next.equals(current)) {
                        return null;
                    }
                    int version =
                            tx.governance().policy(pkg).map(PolicyRecord::version).orElse(0) + 1;
                    Instant now = PackageGovernance.now(clock);
                    tx.governance()
                            .addPolicy(
                                    new PolicyRecord(
                                            pkg,
                                            version,
                                            write(next.toJson()),
                                            now,
                                            principal.user()));
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("policyVersion", version);
                    detail.put("policy", next.toJson());
                    detail.put("previous", current.toJson());
                    events.record(
                            tx,
                            "governance.policy-changed",
                            pkg,
                            null,
                            principal.user(),
                            now,
                            detail);
                    return null;
                });
        return events.log();
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
