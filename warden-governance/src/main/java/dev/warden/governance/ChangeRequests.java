package dev.warden.governance;

import static dev.warden.governance.PackageGovernance.EXPIRED;
import static dev.warden.governance.PackageGovernance.FAILED;
import static dev.warden.governance.PackageGovernance.PENDING;
import static dev.warden.governance.PackageGovernance.REJECTED;
import static dev.warden.governance.PackageGovernance.STAGE_LIFETIME;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.HeldForApproval;
import dev.warden.common.Problem;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Change requests: a critical change to a governed package (owners, dist-tags, deprecations,
 * unpublish, access, two-factor and trusted-publishing rules, policy, successors) held until the
 * quorum approves it, then applied by the same path as the requester's with {@code approved}: the
 * registry's {@link Enactment} for a change to the package, governance itself for its own (a
 * policy, successors).
 */
final class ChangeRequests {

    private static final Logger LOG = LoggerFactory.getLogger(PackageGovernance.class);

    private final PackageFacts facts;
    private final Events events;
    private final Enactment enactment;
    private final MetadataStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Quorum quorum;
    private final Policies policies;
    private final Succession succession;
    private final Maintainers maintainers;

    /** Expires and releases what is due, before requests are read or acted on. */
    private final Runnable catchUp;

    ChangeRequests(
            PackageFacts facts,
            Events events,
            Enactment enactment,
            MetadataStore store,
            ObjectMapper json,
            Clock clock,
            Quorum quorum,
            Policies policies,
            Succession succession,
            Maintainers maintainers,
            Runnable catchUp) {
        this.facts = facts;
        this.events = events;
        this.enactment = enactment;
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.quorum = quorum;
        this.policies = policies;
        this.succession = succession;
        this.maintainers = maintainers;
        this.catchUp = catchUp;
    }

    /**
     * Holds a critical change to {@code pkg} as a request for {@code approvals} maintainers'
     * approval; returns its id.
     */
    String requestChange(
            MetadataStore.WriteTx tx,
            Events.Batch events,
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
        events.record(tx, "change.requested", pkg, null, principal.user(), now, detail);
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
        facts.requireCovers(principal, pkg);
        // most packages ask for no approvals: find that out without taking the write lock
        if (!(store.read(tx -> decide(tx, pkg, change, principal)) instanceof Decision.Held)) {
            return;
        }
        Instant now = PackageGovernance.now(clock);
        Events.Batch events = this.events.batch();
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
        List<Long> indexes = events.log();
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
                        facts.mayMaintain(tx, pkg, principal.user()),
                        principal.publisher() != null,
                        false);
        return Rules.decide(new Rules.Facts(policies.policy(tx, pkg), actor, change));
    }

    /** Pending change requests of the packages {@code principal} maintains. */
    ArrayNode requests(Principal principal, String pkg) {
        catchUp.run();
        return store.read(
                tx -> {
                    List<String> packages = maintainers.shownTo(tx, principal, pkg);
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
                                                                    + Problem.clip(id)));
                    if (!facts.mayView(principal, r.pkg())
                            || !facts.mayMaintain(tx, r.pkg(), principal.user())
                                    && !r.actor().equals(principal.user())) {
                        throw Problem.notFound("no change request with id " + Problem.clip(id));
                    }
                    return requestItem(tx, r);
                });
    }

    /** Records an approval of a change request; applies the change when the quorum is reached. */
    ObjectNode approveRequest(String id, Principal principal) {
        catchUp.run();
        Events.Batch events = this.events.batch();
        Instant now = PackageGovernance.now(clock);
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
                                                                                    + Problem.clip(
                                                                                            id))));
                            maintainers.require(tx, r.pkg(), principal);
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
                            events.record(
                                    tx,
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
        List<Long> indexes = new ArrayList<>(events.log());
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
        Events.Batch events = this.events.batch();
        Instant now = PackageGovernance.now(clock);
        store.write(
                tx -> {
                    ChangeRequest r =
                            tx.governance()
                                    .request(id)
                                    .orElseThrow(
                                            () ->
                                                    Problem.notFound(
                                                            "no change request with id "
                                                                    + Problem.clip(id)));
                    maintainers.require(tx, r.pkg(), principal);
                    requireOpen(r, now);
                    tx.governance().decideRequest(id, REJECTED, now, principal.user());
                    events.record(
                            tx,
                            "change.rejected",
                            r.pkg(),
                            null,
                            principal.user(),
                            now,
                            Map.of("requestId", id));
                    // one package's maintainers saying no ends the org change
                    RequestGroups.close(tx, r, REJECTED, now, json);
                    return null;
                });
        return events.log();
    }

    private List<Long> apply(ChangeRequest r) {
        JsonNode payload = read(r.payload());
        if (r.kind().equals(RequestGroups.ORG)) {
            List<Long> done = enactment.applyOrgChange(r, payload);
            return done == null ? List.of() : done;
        }
        List<String> approvers = store.read(tx -> tx.governance().requestApprovers(r.id()));
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("requestId", r.id());
        approval.put("approvedBy", approvers);
        List<Long> indexes;
        Principal requester = new Principal(r.actor(), false, null);
        try {
            Change change = Change.fromRequest(r.kind(), payload, json);
            indexes =
                    switch (change) {
                        case Change.Policy p ->
                                policies.writePolicy(r.pkg(), p.next(), requester, true);
                        case Change.Successors s ->
                                succession.nameSuccessors(r.pkg(), s.users(), requester, true);
                        case Change.Release rel ->
                                throw new IllegalStateException(
                                        "a release is approved as a stage, not as change request "
                                                + r.id());
                        // the registry's own changes: its switch over them is exhaustive
                        default -> enactment.apply(r.pkg(), change, r.actor(), approval);
                    };
        } catch (Problem e) {
            store.write(
                    tx -> {
                        tx.governance()
                                .decideRequest(r.id(), FAILED, PackageGovernance.now(clock), null);
                        return null;
                    });
            throw e;
        }
        store.write(
                tx -> {
                    tx.governance()
                            .decideRequest(r.id(), "applied", PackageGovernance.now(clock), null);
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
        Instant now = PackageGovernance.now(clock);
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
    void expireLapsed(Instant now, Events.Batch events) {
        List<ChangeRequest> lapsed =
                store.read(
                        tx -> {
                            List<ChangeRequest> open =
                                    new ArrayList<>(tx.governance().requests(null, PENDING));
                            open.addAll(tx.governance().requests(null, RequestGroups.WAITING));
                            return open.stream().filter(r -> !now.isBefore(r.expires())).toList();
                        });
        if (!lapsed.isEmpty()) {
            store.write(
                    tx -> {
                        for (ChangeRequest r : lapsed) {
                            tx.governance().decideRequest(r.id(), EXPIRED, now, null);
                            events.record(
                                    tx,
                                    "change.expired",
                                    r.pkg(),
                                    null,
                                    "registry",
                                    now,
                                    Map.of("requestId", r.id()));
                            RequestGroups.close(tx, r, EXPIRED, now, json);
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
