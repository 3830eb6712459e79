package dev.warden.registry;

import static dev.warden.registry.PackageGovernance.EXPIRED;
import static dev.warden.registry.PackageGovernance.FAILED;
import static dev.warden.registry.PackageGovernance.PENDING;
import static dev.warden.registry.PackageGovernance.REJECTED;
import static dev.warden.registry.PackageGovernance.STAGE_LIFETIME;
import static dev.warden.registry.PackageGovernance.maintainedBy;
import static dev.warden.registry.PackageGovernance.requireMaintainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.HeldForApproval;
import dev.warden.common.Problem;
import dev.warden.governance.Actor;
import dev.warden.governance.Change;
import dev.warden.governance.Decision;
import dev.warden.governance.Rules;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Change requests: a critical change to a governed package (owners, dist-tags, deprecations,
 * unpublish, access, two-factor and trusted-publishing rules, policy, successors) held until the
 * quorum approves it, then applied by the same path as the requester's with {@code approved}.
 */
final class ChangeRequests {

    private static final Logger LOG = LoggerFactory.getLogger(PackageGovernance.class);

    private final Registry registry;
    private final Outbox outbox;
    private final MetadataStore store;
    private final ObjectMapper json;
    private final Quorum quorum;
    private final Policies policies;

    /** Expires and releases what is due, before requests are read or acted on. */
    private final Runnable catchUp;

    ChangeRequests(
            Registry registry,
            Outbox outbox,
            MetadataStore store,
            ObjectMapper json,
            Quorum quorum,
            Policies policies,
            Runnable catchUp) {
        this.registry = registry;
        this.outbox = outbox;
        this.store = store;
        this.json = json;
        this.quorum = quorum;
        this.policies = policies;
        this.catchUp = catchUp;
    }

    /**
     * Holds a critical change to {@code pkg} as a request for {@code approvals} maintainers'
     * approval; returns its id.
     */
    String requestChange(
            MetadataStore.WriteTx tx,
            List<Outbox.PendingEvent> events,
            String pkg,
            String kind,
            Map<String, Object> payload,
            Principal principal,
            int approvals,
            Instant now) {
        String id = UUID.randomUUID().toString();
        tx.governance()
                .insertRequest(
                        new ChangeRequest(
                                id,
                                pkg,
                                kind,
                                write(json.valueToTree(payload)),
                                principal.user(),
                                approvals,
                                now,
                                now.plus(STAGE_LIFETIME),
                                PENDING,
                                null,
                                null));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("requestId", id);
        detail.put("change", kind);
        detail.put("payload", payload);
        detail.put("approvalsRequired", approvals);
        outbox.record(tx, events, "change.requested", pkg, null, principal.user(), now, detail);
        return id;
    }

    /**
     * Holds a critical change to a governed package for approval, as governance decides ({@link
     * Rules#decide}): records a change request and throws {@link HeldForApproval}. Returns when the
     * decision is that the change goes through: it is not critical, the package asks for no
     * approvals, it is an approved change being applied, or the caller is no maintainer (the change
     * itself then refuses them).
     */
    void hold(String pkg, Change change, Principal principal, boolean approved) {
        if (approved || principal.publisher() != null || !change.critical()) {
            return; // the decision is Live whatever the package's policy: nothing to read
        }
        // nobody files a request in a maintainer's name with a token that may not act on the
        // package
        Authority.requireCovers(principal, pkg);
        // most packages ask for no approvals: find that out without taking the write lock
        if (!(store.read(tx -> decide(tx, pkg, change, principal)) instanceof Decision.Held)) {
            return;
        }
        Instant now = registry.now();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        int[] approvals = new int[1];
        String id =
                store.write(
                        tx -> {
                            if (!(decide(tx, pkg, change, principal)
                                    instanceof Decision.Held held)) {
                                return null;
                            }
                            approvals[0] = held.approvals();
                            return requestChange(
                                    tx,
                                    events,
                                    pkg,
                                    change.kind(),
                                    change.payload(),
                                    principal,
                                    held.approvals(),
                                    now);
                        });
        if (id == null) {
            return;
        }
        List<Long> indexes = outbox.log(events);
        throw new HeldForApproval(
                id,
                "warden: "
                        + pkg
                        + " is governed: "
                        + change.description()
                        + " needs "
                        + approvals[0]
                        + " other maintainer(s)' approval; it is pending as change request "
                        + id
                        + " (warden governance approve "
                        + id
                        + ")",
                indexes);
    }

    private Decision decide(ReadTx tx, String pkg, Change change, Principal principal) {
        Actor actor =
                new Actor(
                        Authority.mayMaintain(tx, pkg, principal.user()),
                        principal.publisher() != null,
                        false);
        return Rules.decide(new Rules.Facts(policies.policy(tx, pkg), actor, change));
    }

    /** Pending change requests of the packages {@code principal} maintains. */
    ArrayNode requests(Principal principal, String pkg) {
        catchUp.run();
        return store.read(
                tx -> {
                    List<String> packages = maintainedBy(tx, principal, pkg);
                    ArrayNode out = json.createArrayNode();
                    tx.governance()
                            .requests(packages, PENDING)
                            .forEach(r -> out.add(requestItem(tx, r)));
                    return out;
                });
    }

    ObjectNode request(String id, Principal principal) {
        catchUp.run();
        return store.read(
                tx -> {
                    ChangeRequest r =
                            tx.governance()
                                    .request(id)
                                    .orElseThrow(
                                            () ->
                                                    Problem.notFound(
                                                            "no change request with id "
                                                                    + Registry.clip(id)));
                    if (!Authority.mayView(principal, r.pkg())
                            || !Authority.mayMaintain(tx, r.pkg(), principal.user())
                                    && !r.actor().equals(principal.user())) {
                        throw Problem.notFound("no change request with id " + Registry.clip(id));
                    }
                    return requestItem(tx, r);
                });
    }

    /** Records an approval of a change request; applies the change when the quorum is reached. */
    ObjectNode approveRequest(String id, Principal principal) {
        catchUp.run();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Instant now = registry.now();
        int[] count = new int[1];
        ChangeRequest req =
                store.write(
                        tx -> {
                            ChangeRequest r =
                                    quorum.underCurrentPolicy(
                                            tx,
                                            tx.governance()
                                                    .request(id)
                                                    .orElseThrow(
                                                            () ->
                                                                    Problem.notFound(
                                                                            "no change request with"
                                                                                    + " id "
                                                                                    + Registry.clip(
                                                                                            id))));
                            requireMaintainer(tx, r.pkg(), principal);
                            requireOpen(r, now);
                            if (r.actor().equals(principal.user())) {
                                throw Problem.forbidden(
                                        "you requested this change: it needs approval from "
                                                + r.required()
                                                + " other maintainer(s)");
                            }
                            String notCounted =
                                    quorum.disqualified(tx, r.pkg(), principal.user(), r.created());
                            if (notCounted != null) {
                                throw Problem.forbidden(notCounted);
                            }
                            if (!tx.governance().approveRequest(id, principal.user(), now)) {
                                throw Problem.conflict(
                                        "you have already approved this change request");
                            }
                            count[0] = quorum.countingApprovals(tx, r);
                            outbox.record(
                                    tx,
                                    events,
                                    "change.approved",
                                    r.pkg(),
                                    null,
                                    principal.user(),
                                    now,
                                    Map.of(
                                            "requestId",
                                            id,
                                            "approvals",
                                            count[0],
                                            "approvalsRequired",
                                            r.required()));
                            return r;
                        });
        List<Long> indexes = new ArrayList<>(outbox.log(events));
        if (count[0] >= req.required()) {
            indexes.addAll(apply(req));
        }
        ObjectNode out =
                store.read(tx -> requestItem(tx, tx.governance().request(id).orElseThrow()));
        out.put("applied", out.path("state").asText().equals("applied"));
        out.set("logIndexes", json.valueToTree(indexes));
        return out;
    }

    List<Long> rejectRequest(String id, Principal principal) {
        catchUp.run();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Instant now = registry.now();
        store.write(
                tx -> {
                    ChangeRequest r =
                            tx.governance()
                                    .request(id)
                                    .orElseThrow(
                                            () ->
                                                    Problem.notFound(
                                                            "no change request with id "
                                                                    + Registry.clip(id)));
                    requireMaintainer(tx, r.pkg(), principal);
                    requireOpen(r, now);
                    tx.governance().decideRequest(id, REJECTED, now, principal.user());
                    outbox.record(
                            tx,
                            events,
                            "change.rejected",
                            r.pkg(),
                            null,
                            principal.user(),
                            now,
                            Map.of("requestId", id));
                    OrgChanges.closeGroup(
                            tx, r, REJECTED, now,
                            json); // one package's maintainers saying no ends the org change
                    return null;
                });
        return outbox.log(events);
    }

    private List<Long> apply(ChangeRequest r) {
        JsonNode payload = read(r.payload());
        if (r.kind().equals(OrgChanges.KIND)) {
            List<Long> done =
                    registry.organizations().applyApproved(r, payload, registry.governance());
            return done == null ? List.of() : done;
        }
        List<String> approvers = store.read(tx -> tx.governance().requestApprovers(r.id()));
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("requestId", r.id());
        approval.put("approvedBy", approvers);
        List<Long> indexes;
        Principal requester = new Principal(r.actor(), false, null);
        try {
            indexes =
                    switch (Change.fromRequest(r.kind(), payload, json)) {
                        case Change.Owners o ->
                                registry.applyApprovedOwners(
                                        r.pkg(), o.added(), o.removed(), r.actor(), approval);
                        case Change.DistTag t ->
                                registry.setDistTag(r.pkg(), t.tag(), t.version(), requester, true);
                        case Change.Versions v ->
                                registry.applyVersionChanges(
                                        r.pkg(), v.deprecate(), v.unpublish(), requester);
                        case Change.Unpublish u ->
                                registry.unpublishPackage(r.pkg(), null, requester, true);
                        case Change.Access a -> {
                            registry.setAccess(r.pkg(), a.access(), requester, true);
                            yield List.of();
                        }
                        case Change.Mfa m -> {
                            registry.setMfaPolicy(
                                    r.pkg(),
                                    m.publishRequiresTfa(),
                                    m.automationOverrides(),
                                    requester,
                                    true);
                            yield List.of();
                        }
                        case Change.TrustedPublisherAdd t ->
                                registry.addTrustedPublisher(
                                                r.pkg(),
                                                dev.warden.provenance.TrustedPublishing.checkConfig(
                                                        payload.path("config")),
                                                requester,
                                                true)
                                        .logIndexes();
                        case Change.TrustedPublisherRemove t ->
                                registry.removeTrustedPublisher(r.pkg(), t.id(), requester, true);
                        case Change.TrustedPublishingOptional t ->
                                registry.requireTrustedPublisher(r.pkg(), false, requester, true);
                        case Change.Policy p ->
                                policies.writePolicy(r.pkg(), p.next(), requester, true);
                        case Change.Successors s ->
                                registry.succession()
                                        .nameSuccessors(r.pkg(), s.users(), requester, true);
                        case Change.Release rel ->
                                throw new IllegalStateException(
                                        "a release is approved as a stage, not as change request "
                                                + r.id());
                    };
        } catch (Problem e) {
            store.write(
                    tx -> {
                        tx.governance().decideRequest(r.id(), FAILED, registry.now(), null);
                        return null;
                    });
            throw e;
        }
        store.write(
                tx -> {
                    tx.governance().decideRequest(r.id(), "applied", registry.now(), null);
                    return null;
                });
        return indexes;
    }

    private static void requireOpen(ChangeRequest r, Instant now) {
        if (!r.state().equals(PENDING)) {
            throw Problem.conflict(
                    "this change request is "
                            + r.state()
                            + (r.decidedBy() == null ? "" : " (by " + r.decidedBy() + ")"));
        }
        if (!now.isBefore(r.expires())) {
            throw Problem.conflict("this change request expired at " + r.expires());
        }
    }

    private ObjectNode requestItem(ReadTx tx, ChangeRequest unadjusted) {
        ChangeRequest r = quorum.underCurrentPolicy(tx, unadjusted);
        ObjectNode o = json.createObjectNode();
        o.put("id", r.id());
        o.put("packageName", r.pkg());
        o.put("change", r.kind());
        o.set("payload", read(r.payload()));
        o.put("requestedBy", r.actor());
        o.put("createdAt", r.created().toString());
        o.put("expiresAt", r.expires().toString());
        o.put("state", r.state());
        o.put("approvalsRequired", r.required());
        o.put("approvals", quorum.countingApprovals(tx, r));
        o.set("approvedBy", json.valueToTree(tx.governance().requestApprovers(r.id())));
        return o;
    }

    /**
     * Applies the change requests that have their approvals but were not applied: the process died
     * between the approval's commit and the change. Run once at start, before requests are served.
     */
    int applyApproved() {
        Instant now = registry.now();
        List<ChangeRequest> quorate =
                store.read(
                        tx ->
                                tx.governance().requests(null, PENDING).stream()
                                        .filter(
                                                r ->
                                                        now.isBefore(r.expires())
                                                                && quorum.hasQuorum(tx, r))
                                        .toList());
        for (ChangeRequest r : quorate) {
            try {
                apply(r);
                LOG.info(
                        "applied approved change request {} of {} after a restart",
                        r.id(),
                        r.pkg());
            } catch (Problem e) {
                LOG.warn(
                        "approved change request {} of {} could not be applied: {}",
                        r.id(),
                        r.pkg(),
                        e.getMessage());
            }
        }
        return quorate.size();
    }

    /**
     * Expires the requests past their lifetime (an org change waiting for the rest of its group
     * too, and with it the group).
     */
    void expireLapsed(Instant now, List<Outbox.PendingEvent> events) {
        List<ChangeRequest> lapsed =
                store.read(
                        tx -> {
                            List<ChangeRequest> open =
                                    new ArrayList<>(tx.governance().requests(null, PENDING));
                            open.addAll(tx.governance().requests(null, OrgChanges.WAITING));
                            return open.stream().filter(r -> !now.isBefore(r.expires())).toList();
                        });
        if (!lapsed.isEmpty()) {
            store.write(
                    tx -> {
                        for (ChangeRequest r : lapsed) {
                            tx.governance().decideRequest(r.id(), EXPIRED, now, null);
                            outbox.record(
                                    tx,
                                    events,
                                    "change.expired",
                                    r.pkg(),
                                    null,
                                    "registry",
                                    now,
                                    Map.of("requestId", r.id()));
                            OrgChanges.closeGroup(tx, r, EXPIRED, now, json);
                        }
                        return null;
                    });
        }
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
