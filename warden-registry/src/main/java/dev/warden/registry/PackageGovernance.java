package dev.warden.registry;

import dev.warden.governance.GovernancePolicy;
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
import dev.warden.storage.BlobStore;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.Governance.PolicyRecord;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.Versions.VersionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Governance of packages: each package's versioned policy, and releases staged for approval
 * ({@code npm stage}). A governed package's publishes become stages; a stage goes live once the
 * policy's number of distinct maintainers other than the one who staged it have approved it (with
 * a fresh second factor, checked by the caller) and its cool-off has passed. One rejection ends it;
 * a stage expires after {@link #STAGE_LIFETIME}. Only approvals of current maintainers count.
 * Every policy version, stage, approval, rejection and release is a transparency-log statement.
 */
public final class PackageGovernance {

    private static final Logger LOG = LoggerFactory.getLogger(PackageGovernance.class);

    /** How long a stage waits for its approvals. */
    public static final Duration STAGE_LIFETIME = Duration.ofDays(7);

    static final String PENDING = "pending";
    static final String APPROVED = "approved";
    static final String PUBLISHED = "published";
    static final String REJECTED = "rejected";
    static final String EXPIRED = "expired";
    static final String FAILED = "failed";

    private final Registry registry;
    private final Outbox outbox;
    private final MetadataStore store;
    private final BlobStore blobs;
    private final ObjectMapper json;

    private final Quorum quorum;

    PackageGovernance(Registry registry, Outbox outbox, MetadataStore store, BlobStore blobs, ObjectMapper json) {
        this.outbox = outbox;
        this.quorum = new Quorum(this, registry);
        this.registry = registry;
        this.store = store;
        this.blobs = blobs;
        this.json = json;
    }

    // ---------------------------------------------------------------- policies

    /** The policy in force for {@code pkg} ({@link GovernancePolicy#SOLO} when it never had one). */
    public GovernancePolicy policy(String pkg) {
        return store.read(tx -> policy(tx, pkg));
    }

    /**
     * The policy in force: the package's own, raised to the high-impact floor when the package is
     * high-impact (at least one other maintainer's approval once there are two maintainers).
     */
    GovernancePolicy policy(ReadTx tx, String pkg) {
        GovernancePolicy own = ownPolicy(tx, pkg);
        if (own.approvals() == 0 && tx.maintainers().of(pkg).size() >= 2 && impact(tx, pkg).highImpact()) {
            return new GovernancePolicy("high-impact floor", 1, own.coolOffHours(), own.twoFactor().equals("none") ? "account" : own.twoFactor());
        }
        return own;
    }

    private GovernancePolicy ownPolicy(ReadTx tx, String pkg) {
        return tx.governance().policy(pkg).map(p -> GovernancePolicy.fromJson(read(p.policy()))).orElse(GovernancePolicy.SOLO);
    }

    // ---------------------------------------------------------------- impact

    private volatile long highImpactDownloads = 1_000_000;
    private volatile int highImpactDependents = 500;

    /** Sets what makes a package high-impact: weekly downloads or dependents at or above these. */
    public void highImpactAt(long weeklyDownloads, int dependents) {
        this.highImpactDownloads = weeklyDownloads;
        this.highImpactDependents = dependents;
    }

    /** How many depend on a package, and whether that makes it high-impact. */
    public record Impact(long weeklyDownloads, int dependents, boolean highImpact, long downloadsThreshold, int dependentsThreshold) {}

    public Impact impact(String pkg, Principal reader) {
        registry.requireReadable(pkg, reader);
        return store.read(tx -> {
            tx.packages().find(pkg).filter(p -> p.live()).orElseThrow(() -> Problem.notFound("package " + Registry.clip(pkg) + " not found"));
            return impact(tx, pkg);
        });
    }

    Impact impact(ReadTx tx, String pkg) {
        long weekly = registry.weeklyDownloads(tx, pkg);
        int dependents = tx.dependencies().dependentCount(pkg);
        return new Impact(weekly, dependents, weekly >= highImpactDownloads || dependents >= highImpactDependents, highImpactDownloads,
                highImpactDependents);
    }

    /** Whether {@code pkg} is high-impact now (false for a package that does not exist). */
    public boolean highImpact(String pkg) {
        return store.read(tx -> impact(tx, pkg).highImpact());
    }

    /** The public record of a package's policy: every version, newest last. */
    public ObjectNode policyDocument(String pkg, Principal reader) {
        registry.requireReadable(pkg, reader);
        return store.read(tx -> {
            tx.packages().find(pkg).filter(p -> p.live()).orElseThrow(() -> Problem.notFound("package " + Registry.clip(pkg) + " not found"));
            ObjectNode out = json.createObjectNode();
            out.put("package", pkg);
            out.set("policy", policy(tx, pkg).toJson());
            out.set("ownPolicy", ownPolicy(tx, pkg).toJson());
            out.put("requireTrustedPublisher", tx.packageMfa().find(pkg).map(m -> m.requireTrustedPublisher()).orElse(false));
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
            out.put("version", tx.governance().policy(pkg).map(PolicyRecord::version).orElse(0));
            return out;
        });
    }

    /**
     * Adopts {@code next} as {@code pkg}'s policy. One maintainer may tighten it; loosening a policy
     * that asks for approvals is a critical change that needs them, and is refused here.
     */
    public List<Long> setPolicy(String pkg, GovernancePolicy next, Principal principal) {
        try {
            return writePolicy(pkg, next, principal, false);
        } catch (LooserPolicy e) {
            hold(pkg, new Change.Policy(next, e.current), principal, false);
            throw new IllegalStateException("a looser policy of " + pkg + " was neither held nor refused");
        }
    }

    /** Thrown inside the policy transaction when a change would loosen it: it is then held for approval. */
    private static final class LooserPolicy extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient GovernancePolicy current;

        LooserPolicy(GovernancePolicy current) {
            super(null, null, false, false);
            this.current = current;
        }
    }

    private List<Long> writePolicy(String pkg, GovernancePolicy next, Principal principal, boolean approved) {
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        store.write(tx -> {
            tx.packages().find(pkg).filter(p -> p.live()).orElseThrow(() -> Problem.notFound("package " + Registry.clip(pkg) + " not found"));
            requireMaintainer(tx, pkg, principal);
            GovernancePolicy current = ownPolicy(tx, pkg);
            int maintainers = tx.maintainers().of(pkg).size();
            if (next.approvals() > 0 && next.approvals() > maintainers - 1) {
                throw Problem.badRequest("this policy cannot be met: " + next.approvals() + " approvals from maintainers other than the one "
                        + "who staged a release need at least " + (next.approvals() + 1) + " maintainers, and " + pkg + " has " + maintainers);
            }
            if (next.looserThan(current) && current.approvals() > 0 && !approved) {
                throw new LooserPolicy(current);
            }
            if (next.equals(current)) {
                return null;
            }
            int version = tx.governance().policy(pkg).map(PolicyRecord::version).orElse(0) + 1;
            Instant now = registry.now();
            tx.governance().addPolicy(new PolicyRecord(pkg, version, write(next.toJson()), now, principal.user()));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("policyVersion", version);
            detail.put("policy", next.toJson());
            detail.put("previous", current.toJson());
            outbox.record(tx, events, "governance.policy-changed", pkg, null, principal.user(), now, detail);
            return null;
        });
        return outbox.log(events);
    }

    // ---------------------------------------------------------------- change requests

    /** Holds a critical change to {@code pkg} as a request for {@code approvals} maintainers' approval; returns its id. */
    String requestChange(MetadataStore.WriteTx tx, List<Outbox.PendingEvent> events, String pkg, String kind, Map<String, Object> payload,
            Principal principal, int approvals, Instant now) {
        String id = UUID.randomUUID().toString();
        tx.governance().insertRequest(new ChangeRequest(id, pkg, kind, write(json.valueToTree(payload)), principal.user(), approvals, now,
                now.plus(STAGE_LIFETIME), PENDING, null, null));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("requestId", id);
        detail.put("change", kind);
        detail.put("payload", payload);
        detail.put("approvalsRequired", approvals);
        outbox.record(tx, events, "change.requested", pkg, null, principal.user(), now, detail);
        return id;
    }

    /**
     * Holds a critical change to a governed package for approval, as governance decides
     * ({@link Rules#decide}): records a change request and throws {@link HeldForApproval}. Returns
     * when the decision is that the change goes through: it is not critical, the package asks for no
     * approvals, it is an approved change being applied, or the caller is no maintainer (the change
     * itself then refuses them).
     */
    void hold(String pkg, Change change, Principal principal, boolean approved) {
        if (approved || principal.publisher() != null || !change.critical()) {
            return; // the decision is Live whatever the package's policy: nothing to read
        }
        // nobody files a request in a maintainer's name with a token that may not act on the package
        Authority.requireCovers(principal, pkg);
        // most packages ask for no approvals: find that out without taking the write lock
        if (!(store.read(tx -> decide(tx, pkg, change, principal)) instanceof Decision.Held)) {
            return;
        }
        Instant now = registry.now();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        int[] approvals = new int[1];
        String id = store.write(tx -> {
            if (!(decide(tx, pkg, change, principal) instanceof Decision.Held held)) {
                return null;
            }
            approvals[0] = held.approvals();
            return requestChange(tx, events, pkg, change.kind(), change.payload(), principal, held.approvals(), now);
        });
        if (id == null) {
            return;
        }
        List<Long> indexes = outbox.log(events);
        throw new HeldForApproval(id, "warden: " + pkg + " is governed: " + change.description() + " needs " + approvals[0]
                + " other maintainer(s)' approval; it is pending as change request " + id + " (warden governance approve " + id + ")", indexes);
    }

    private Decision decide(ReadTx tx, String pkg, Change change, Principal principal) {
        Actor actor = new Actor(Authority.mayMaintain(tx, pkg, principal.user()), principal.publisher() != null, false);
        return Rules.decide(new Rules.Facts(policy(tx, pkg), actor, change));
    }

    /** Pending change requests of the packages {@code principal} maintains. */
    public ArrayNode requests(Principal principal, String pkg) {
        releaseDue();
        return store.read(tx -> {
            List<String> packages = maintainedBy(tx, principal, pkg);
            ArrayNode out = json.createArrayNode();
            tx.governance().requests(packages, PENDING).forEach(r -> out.add(requestItem(tx, r)));
            return out;
        });
    }

    public ObjectNode request(String id, Principal principal) {
        releaseDue();
        return store.read(tx -> {
            ChangeRequest r = tx.governance().request(id).orElseThrow(() -> Problem.notFound("no change request with id " + Registry.clip(id)));
            if (!Authority.mayView(principal, r.pkg()) || !Authority.mayMaintain(tx, r.pkg(), principal.user()) && !r.actor().equals(principal.user())) {
                throw Problem.notFound("no change request with id " + Registry.clip(id));
            }
            return requestItem(tx, r);
        });
    }

    /** Records an approval of a change request; applies the change when the quorum is reached. */
    public ObjectNode approveRequest(String id, Principal principal) {
        releaseDue();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Instant now = registry.now();
        int[] count = new int[1];
        ChangeRequest req = store.write(tx -> {
            ChangeRequest r = quorum.underCurrentPolicy(tx, tx.governance().request(id)
                    .orElseThrow(() -> Problem.notFound("no change request with id " + Registry.clip(id))));
            requireMaintainer(tx, r.pkg(), principal);
            requireOpen(r, now);
            if (r.actor().equals(principal.user())) {
                throw Problem.forbidden("you requested this change: it needs approval from " + r.required() + " other maintainer(s)");
            }
            String notCounted = quorum.disqualified(tx, r.pkg(), principal.user(), r.created());
            if (notCounted != null) {
                throw Problem.forbidden(notCounted);
            }
            if (!tx.governance().approveRequest(id, principal.user(), now)) {
                throw Problem.conflict("you have already approved this change request");
            }
            count[0] = quorum.countingApprovals(tx, r);
            outbox.record(tx, events, "change.approved", r.pkg(), null, principal.user(), now,
                    Map.of("requestId", id, "approvals", count[0], "approvalsRequired", r.required()));
            return r;
        });
        List<Long> indexes = new ArrayList<>(outbox.log(events));
        if (count[0] >= req.required()) {
            indexes.addAll(apply(req));
        }
        ObjectNode out = store.read(tx -> requestItem(tx, tx.governance().request(id).orElseThrow()));
        out.put("applied", out.path("state").asText().equals("applied"));
        out.set("logIndexes", json.valueToTree(indexes));
        return out;
    }

    public List<Long> rejectRequest(String id, Principal principal) {
        releaseDue();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Instant now = registry.now();
        store.write(tx -> {
            ChangeRequest r = tx.governance().request(id).orElseThrow(() -> Problem.notFound("no change request with id " + Registry.clip(id)));
            requireMaintainer(tx, r.pkg(), principal);
            requireOpen(r, now);
            tx.governance().decideRequest(id, REJECTED, now, principal.user());
            outbox.record(tx, events, "change.rejected", r.pkg(), null, principal.user(), now, Map.of("requestId", id));
            OrgChanges.closeGroup(tx, r, REJECTED, now, json); // one package's maintainers saying no ends the org change
            return null;
        });
        return outbox.log(events);
    }

    private List<Long> apply(ChangeRequest r) {
        JsonNode payload = read(r.payload());
        if (r.kind().equals(OrgChanges.KIND)) {
            List<Long> done = registry.organizations().applyApproved(r, payload, this);
            return done == null ? List.of() : done;
        }
        List<String> approvers = store.read(tx -> tx.governance().requestApprovers(r.id()));
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("requestId", r.id());
        approval.put("approvedBy", approvers);
        List<Long> indexes;
        Principal requester = new Principal(r.actor(), false, null);
        try {
            indexes = switch (Change.fromRequest(r.kind(), payload, json)) {
                case Change.Owners o -> registry.applyApprovedOwners(r.pkg(), o.added(), o.removed(), r.actor(), approval);
                case Change.DistTag t -> registry.setDistTag(r.pkg(), t.tag(), t.version(), requester, true);
                case Change.Versions v -> registry.applyVersionChanges(r.pkg(), v.deprecate(), v.unpublish(), requester);
                case Change.Unpublish u -> registry.unpublishPackage(r.pkg(), null, requester, true);
                case Change.Access a -> {
                    registry.setAccess(r.pkg(), a.access(), requester, true);
                    yield List.of();
                }
                case Change.Mfa m -> {
                    registry.setMfaPolicy(r.pkg(), m.publishRequiresTfa(), m.automationOverrides(), requester, true);
                    yield List.of();
                }
                case Change.TrustedPublisherAdd t -> registry.addTrustedPublisher(r.pkg(),
                        dev.warden.provenance.TrustedPublishing.checkConfig(payload.path("config")), requester, true).logIndexes();
                case Change.TrustedPublisherRemove t -> registry.removeTrustedPublisher(r.pkg(), t.id(), requester, true);
                case Change.TrustedPublishingOptional t -> registry.requireTrustedPublisher(r.pkg(), false, requester, true);
                case Change.Policy p -> writePolicy(r.pkg(), p.next(), requester, true);
                case Change.Successors s -> registry.succession().nameSuccessors(r.pkg(), s.users(), requester, true);
                case Change.Release rel -> throw new IllegalStateException("a release is approved as a stage, not as change request " + r.id());
            };
        } catch (Problem e) {
            store.write(tx -> {
                tx.governance().decideRequest(r.id(), FAILED, registry.now(), null);
                return null;
            });
            throw e;
        }
        store.write(tx -> {
            tx.governance().decideRequest(r.id(), "applied", registry.now(), null);
            return null;
        });
        return indexes;
    }

    /** Whether a change request has the approvals its package's policy asks now. */
    boolean hasQuorum(ReadTx tx, ChangeRequest r) {
        return quorum.hasQuorum(tx, r);
    }

    /** Approvals from accounts younger than {@code age} do not count toward a quorum (zero: every account's count). */
    public void minApproverAccountAge(Duration age) {
        quorum.minApproverAccountAge(age);
    }

    private static void requireOpen(ChangeRequest r, Instant now) {
        if (!r.state().equals(PENDING)) {
            throw Problem.conflict("this change request is " + r.state() + (r.decidedBy() == null ? "" : " (by " + r.decidedBy() + ")"));
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

    // ---------------------------------------------------------------- stages

    /**
     * Holds a checked release as a stage, with the release it goes live as once approved.
     *
     * @param required approvals it needs, as governance decided
     * @param selfApproval whether the stager's own approval counts
     * @param explicit whether the client asked to stage ({@code npm stage publish}); otherwise a
     *     publish was diverted by the decision
     * @param holdReason why the registry holds a release the policy would let through (a break in
     *     provenance continuity, a review signal), or null
     */
    Registry.Published stage(Release p, ObjectNode body, Principal principal, GovernancePolicy policy, int required, boolean selfApproval,
            int coolOffHours, boolean explicit, String holdReason) {
        String pkg = p.name().full();
        ObjectNode document = body.deepCopy();
        JsonNode attachment = document.path("_attachments").path(pkg + "-" + p.version() + ".tgz");
        if (attachment instanceof ObjectNode a) {
            a.remove("data");
        }
        String releaseJson = write(p.toJson(json));
        String tag = p.tags().isEmpty() ? "latest" : p.tags().keySet().iterator().next();
        String id = UUID.randomUUID().toString();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Instant now = registry.now();
        Instant coolOff = coolOffHours > 0 ? now.plus(Duration.ofHours(coolOffHours)) : null;
        store.write(tx -> {
            boolean pending = tx.governance().stages(List.of(pkg), PENDING, 0, 1_000).stream().anyMatch(s -> s.version().equals(p.version()))
                    || tx.governance().stages(List.of(pkg), APPROVED, 0, 1_000).stream().anyMatch(s -> s.version().equals(p.version()));
            if (pending) {
                throw Problem.conflict(pkg + "@" + p.version() + " is already staged: approve or reject that stage first (npm stage list " + pkg + ")");
            }
            if (tx.versions().find(pkg, p.version()).isPresent()) {
                throw Problem.conflict("cannot stage the previously published version " + p.version() + " of " + pkg);
            }
            Principal.Publisher publisher = principal.publisher();
            tx.governance().insertStage(new StageRecord(id, pkg, p.version(), tag, write(document), p.blobKey(), p.shasum(), p.integrity(),
                    principal.user(), publisher == null ? "user" : "trusted publisher", publisher == null ? null : write(publisherJson(publisher)),
                    required, selfApproval, coolOff, now, now.plus(STAGE_LIFETIME), PENDING, null, null, holdReason, releaseJson));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("stageId", id);
            detail.put("integrity", p.integrity());
            detail.put("approvalsRequired", required);
            if (coolOff != null) {
                detail.put("coolOffUntil", coolOff.toString());
            }
            if (holdReason != null) {
                detail.put("heldBecause", holdReason);
            }
            outbox.record(tx, events, "stage.created", pkg, p.version(), principal.user(), now, detail, "restricted".equals(p.access()));
            return null;
        });
        List<Long> indexes = outbox.log(events);
        String notice = explicit ? null
                : holdReason != null ? "warden: " + pkg + "@" + p.version() + " is held for maintainer approval: " + holdReason + ". It is staged as "
                        + id + " and is not live until " + (required == 1 ? "a maintainer approves" : required + " other maintainers approve")
                        + " it with npm stage approve " + id + " and a one-time password"
                : "warden: " + pkg + " requires " + policy.approvals() + " maintainer approval(s) for a release (policy " + policy.framework()
                        + "): " + pkg + "@" + p.version() + " is staged as " + id + " and is not live until approved with npm stage approve "
                        + id + (coolOff == null ? "" : " and its cool-off ends at " + coolOff);
        LOG.info("staged {}@{} as {} by {}", pkg, p.version(), id, principal.user());
        return new Registry.Published(pkg, p.version(), p.integrity(), p.differences(), indexes, id, notice);
    }

    /**
     * What {@code npm stage view} shows: every field, the approvals so far, and the review
     * material: what the release changes since the version {@code latest} points to.
     */
    public ObjectNode view(String id, Principal principal) {
        releaseDue();
        VersionRecord[] previous = new VersionRecord[1];
        StageRecord[] stage = new StageRecord[1];
        ObjectNode item = store.read(tx -> {
            StageRecord s = visibleStage(tx, id, principal);
            stage[0] = s;
            String latest = tx.tags().of(s.pkg()).get("latest");
            if (latest != null) {
                tx.versions().find(s.pkg(), latest).filter(VersionRecord::live).ifPresent(v -> previous[0] = v);
            }
            return item(tx, s);
        });
        byte[] next = blob(stage[0].blobKey());
        VersionRecord before = previous[0];
        ReleaseDiff.describe(item, json, before == null ? null : before.version(), before == null ? null : blob(before.blobKey()),
                before == null ? null : read(before.manifest()), next, servedManifest(stage[0], next));
        return item;
    }

    /** The manifest a stage will be served with once released: its publish document's, built as the publish builds it. */
    private JsonNode servedManifest(StageRecord s, byte[] tarball) {
        if (s.release() != null) {
            return Release.fromJson(read(s.release())).served();
        }
        if (!(read(s.document()).path("versions").get(s.version()) instanceof ObjectNode uploaded)) {
            throw new IllegalStateException("stage " + s.id() + " has no manifest of " + s.version());
        }
        return registry.servedManifest(PackageName.parse(s.pkg()), uploaded, tarball);
    }

    private byte[] blob(String key) {
        try {
            BlobStore.Blob b = blobs.get(key).orElseThrow(() -> Problem.notFound("a tarball of this release is gone"));
            try (InputStream in = b.open()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The staged tarball ({@code npm stage download}). */
    public byte[] tarball(String id, Principal principal) {
        return blob(store.read(tx -> visibleStage(tx, id, principal)).blobKey());
    }

    /** Stages awaiting approval in the packages {@code principal} maintains ({@code npm stage list}). */
    public ObjectNode list(Principal principal, String pkg, int page, int perPage) {
        releaseDue();
        return store.read(tx -> {
            List<String> packages = maintainedBy(tx, principal, pkg);
            List<StageRecord> all = new ArrayList<>(tx.governance().stages(packages, PENDING, 0, 10_000));
            all.addAll(tx.governance().stages(packages, APPROVED, 0, 10_000));
            ObjectNode out = json.createObjectNode();
            ArrayNode items = out.putArray("items");
            int from = Math.min(all.size(), page * perPage);
            for (StageRecord s : all.subList(from, Math.min(all.size(), from + perPage))) {
                items.add(item(tx, s));
            }
            out.put("total", all.size());
            return out;
        });
    }

    /** The result of an approval. */
    public record Approval(StageRecord stage, int approvals, boolean live, Instant goesLiveAt, List<Long> logIndexes) {}

    /** Records {@code principal}'s approval (its second factor already checked); releases the version when it completes the quorum. */
    public Approval approve(String id, Principal principal) {
        releaseDue();
        List<Outbox.PendingEvent> events = new ArrayList<>(2);
        Instant now = registry.now();
        int[] count = new int[1];
        StageRecord st = store.write(tx -> {
            StageRecord s = quorum.underCurrentPolicy(tx, tx.governance().stage(id)
                    .orElseThrow(() -> Problem.notFound("no staged release with id " + Registry.clip(id))));
            requireMaintainer(tx, s.pkg(), principal);
            requireOpen(s, now);
            if (s.state().equals(APPROVED)) {
                throw Problem.conflict("this release already has its approvals; it goes live at " + s.coolOffUntil());
            }
            if (s.actor().equals(principal.user()) && !s.selfApproval()) {
                throw Problem.forbidden("you staged " + s.pkg() + "@" + s.version() + ": its policy needs approval from "
                        + s.required() + " other maintainer(s)");
            }
            String notCounted = quorum.disqualified(tx, s.pkg(), principal.user(), s.created());
            if (notCounted != null) {
                throw Problem.forbidden(notCounted);
            }
            if (!tx.governance().approve(id, principal.user(), now)) {
                throw Problem.conflict("you have already approved " + s.pkg() + "@" + s.version());
            }
            count[0] = quorum.countingApprovals(tx, s);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("stageId", id);
            detail.put("approvals", count[0]);
            detail.put("approvalsRequired", s.required());
            outbox.record(tx, events, "stage.approved", s.pkg(), s.version(), principal.user(), now, detail, restricted(s));
            if (count[0] >= s.required()) {
                tx.governance().decide(id, APPROVED, now, principal.user());
            }
            return s;
        });
        List<Long> indexes = new ArrayList<>(outbox.log(events));
        boolean quorum = count[0] >= st.required();
        boolean due = quorum && (st.coolOffUntil() == null || !now.isBefore(st.coolOffUntil()));
        if (due) {
            indexes.addAll(release(st).logIndexes());
        }
        return new Approval(st, count[0], due, quorum ? (st.coolOffUntil() == null ? now : st.coolOffUntil()) : null, indexes);
    }

    /** One maintainer's rejection ends the stage. */
    public List<Long> reject(String id, Principal principal) {
        releaseDue();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Instant now = registry.now();
        store.write(tx -> {
            StageRecord s = tx.governance().stage(id).orElseThrow(() -> Problem.notFound("no staged release with id " + Registry.clip(id)));
            requireMaintainer(tx, s.pkg(), principal);
            requireOpen(s, now);
            tx.governance().decide(id, REJECTED, now, principal.user());
            outbox.record(tx, events, "stage.rejected", s.pkg(), s.version(), principal.user(), now, Map.of("stageId", id), restricted(s));
            return null;
        });
        return outbox.log(events);
    }

    /**
     * Applies the change requests that have their approvals but were not applied: the process died
     * between the approval's commit and the change. Run once at start, before requests are served.
     */
    public int applyApproved() {
        Instant now = registry.now();
        List<ChangeRequest> quorate = store.read(tx -> tx.governance().requests(null, PENDING).stream()
                .filter(r -> now.isBefore(r.expires()) && quorum.hasQuorum(tx, r)).toList());
        for (ChangeRequest r : quorate) {
            try {
                apply(r);
                LOG.info("applied approved change request {} of {} after a restart", r.id(), r.pkg());
            } catch (Problem e) {
                LOG.warn("approved change request {} of {} could not be applied: {}", r.id(), r.pkg(), e.getMessage());
            }
        }
        return quorate.size();
    }

    /**
     * Expires stages past their lifetime and releases approved ones whose cool-off has ended
     * (their approvals are counted again: a maintainer removed meanwhile no longer counts).
     * Run on a timer and before stages are read or acted on.
     */
    public int releaseDue() {
        Instant now = registry.now();
        List<Outbox.PendingEvent> events = new ArrayList<>();
        // requests past their lifetime expire (an org change waiting for the rest of its group too, and with it the group)
        List<ChangeRequest> lapsed = store.read(tx -> {
            List<ChangeRequest> open = new ArrayList<>(tx.governance().requests(null, PENDING));
            open.addAll(tx.governance().requests(null, OrgChanges.WAITING));
            return open.stream().filter(r -> !now.isBefore(r.expires())).toList();
        });
        if (!lapsed.isEmpty()) {
            store.write(tx -> {
                for (ChangeRequest r : lapsed) {
                    tx.governance().decideRequest(r.id(), EXPIRED, now, null);
                    outbox.record(tx, events, "change.expired", r.pkg(), null, "registry", now, Map.of("requestId", r.id()));
                    OrgChanges.closeGroup(tx, r, EXPIRED, now, json);
                }
                return null;
            });
        }

        List<StageRecord> due = store.read(tx -> {
            List<StageRecord> out = new ArrayList<>(tx.governance().stagesExpiredBy(PENDING, now));
            out.addAll(tx.governance().stagesCooledOffBy(APPROVED, now));
            return out;
        });
        if (due.isEmpty()) {
            outbox.log(events);
            return 0;
        }
        List<StageRecord> release = new ArrayList<>();
        store.write(tx -> {
            for (StageRecord s : due) {
                StageRecord fresh = quorum.underCurrentPolicy(tx, tx.governance().stage(s.id()).orElseThrow());
                if (fresh.state().equals(PENDING) && !now.isBefore(fresh.expires())) {
                    tx.governance().decide(s.id(), EXPIRED, now, null);
                    outbox.record(tx, events, "stage.expired", s.pkg(), s.version(), "registry", now, Map.of("stageId", s.id()), restricted(s));
                } else if (fresh.state().equals(APPROVED)) {
                    if (quorum.countingApprovals(tx, fresh) >= fresh.required()) {
                        release.add(fresh);
                    } else {
                        tx.governance().decide(s.id(), PENDING, now, null);
                    }
                }
            }
            return null;
        });
        outbox.log(events);
        for (StageRecord s : release) {
            try {
                release(s);
            } catch (Problem e) {
                LOG.warn("stage {} of {}@{} could not go live: {}", s.id(), s.pkg(), s.version(), e.getMessage());
            }
        }
        return due.size();
    }

    /** Makes an approved stage live, as its stager would have published it. */
    private Registry.Published release(StageRecord s) {
        Principal stager = stagerOf(s);
        Registry.Published published;
        try {
            if (!(json.readTree(s.document()) instanceof ObjectNode body)) {
                throw new IllegalStateException("stage " + s.id() + " has no publish document");
            }
            Release release;
            if (s.release() != null) {
                release = Release.fromJson(read(s.release())); // exactly what was reviewed: not inspected again
            } else {
                byte[] bytes = blob(s.blobKey());
                body.withObjectProperty("_attachments").withObjectProperty(s.pkg() + "-" + s.version() + ".tgz")
                        .put("data", Base64.getEncoder().encodeToString(bytes));
                release = registry.releaseOfLegacyStage(body, s.pkg());
            }
            published = registry.goLive(release, stager, true);
        } catch (Problem e) {
            store.write(tx -> {
                tx.governance().decide(s.id(), FAILED, registry.now(), null);
                return null;
            });
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        store.write(tx -> {
            tx.governance().decide(s.id(), PUBLISHED, registry.now(), null);
            outbox.record(tx, events, "stage.released", s.pkg(), s.version(), "registry", registry.now(),
                    Map.of("stageId", s.id(), "approvedBy", tx.governance().approvers(s.id())));
            return null;
        });
        List<Long> indexes = new ArrayList<>(published.logIndexes());
        indexes.addAll(outbox.log(events));
        LOG.info("staged release {}@{} ({}) is live", s.pkg(), s.version(), s.id());
        return new Registry.Published(published.name(), published.version(), published.integrity(), published.differences(), indexes);
    }

    /** Whether a stage is of a release published as restricted (its package may have no row yet to say so). */
    private boolean restricted(StageRecord s) {
        return read(s.document()).path("access").asText("").equals("restricted");
    }

    private Principal stagerOf(StageRecord s) {
        if (s.publisher() == null) {
            return new Principal(s.actor(), false, null);
        }
        JsonNode p = read(s.publisher());
        List<String> permissions = new ArrayList<>();
        p.path("permissions").forEach(x -> permissions.add(x.asText()));
        Principal.Publisher publisher = new Principal.Publisher(p.path("pkg").asText(), p.path("trustId").asText(), p.path("type").asText(),
                permissions, p.path("identity").asText());
        return new Principal(s.actor(), false, null, false, new Principal.TokenLimits(List.of(s.pkg()), List.of()), publisher);
    }

    private ObjectNode publisherJson(Principal.Publisher p) {
        ObjectNode o = json.createObjectNode();
        o.put("pkg", p.pkg());
        o.put("trustId", p.trustId());
        o.put("type", p.type());
        p.permissions().forEach(o.putArray("permissions")::add);
        o.put("identity", p.identity());
        return o;
    }

    private static void requireOpen(StageRecord s, Instant now) {
        switch (s.state()) {
            case REJECTED -> throw Problem.conflict("this release was rejected by " + s.decidedBy());
            case PUBLISHED -> throw Problem.conflict(s.pkg() + "@" + s.version() + " was approved and is published");
            case EXPIRED -> throw Problem.conflict("this staged release expired at " + s.expires());
            case FAILED -> throw Problem.conflict("this staged release could not be published");
            default -> {
                if (!now.isBefore(s.expires())) {
                    throw Problem.conflict("this staged release expired at " + s.expires());
                }
            }
        }
    }

    private static StageRecord visibleStage(ReadTx tx, String id, Principal principal) {
        StageRecord s = tx.governance().stage(id).orElseThrow(() -> Problem.notFound("no staged release with id " + Registry.clip(id)));
        if (!Authority.mayView(principal, s.pkg()) || !Authority.mayMaintain(tx, s.pkg(), principal.user()) && !s.actor().equals(principal.user())) {
            throw Problem.notFound("no staged release with id " + Registry.clip(id));
        }
        return s;
    }

    /**
     * The packages whose stages and requests {@code principal} is shown: those they maintain by
     * name, or just {@code pkg} when named and they may act on it in any way; always within the
     * credential's limits.
     */
    private static List<String> maintainedBy(ReadTx tx, Principal principal, String pkg) {
        List<String> candidates = pkg == null ? tx.maintainers().packagesOf(principal.user()) : List.of(pkg);
        return candidates.stream().filter(p -> Authority.mayView(principal, p) && Authority.mayMaintain(tx, p, principal.user())).toList();
    }

    private static void requireMaintainer(ReadTx tx, String pkg, Principal principal) {
        Authority.requireMaintainer(tx, pkg, principal, "cannot approve, reject or change a package's governance");
    }

    private ObjectNode item(ReadTx tx, StageRecord unadjusted) {
        StageRecord s = quorum.underCurrentPolicy(tx, unadjusted);
        ObjectNode o = json.createObjectNode();
        o.put("id", s.id());
        o.put("packageName", s.pkg());
        o.put("version", s.version());
        o.put("tag", s.tag());
        o.put("createdAt", s.created().toString());
        o.put("actor", s.actor());
        o.put("actorType", s.actorType());
        o.put("shasum", s.shasum());
        o.put("integrity", s.integrity());
        o.put("state", s.state());
        o.put("approvalsRequired", s.required());
        List<String> approvers = tx.governance().approvers(s.id());
        ArrayNode by = o.putArray("approvedBy");
        approvers.forEach(by::add);
        o.put("approvals", quorum.countingApprovals(tx, s));
        o.put("expiresAt", s.expires().toString());
        if (s.coolOffUntil() != null) {
            o.put("coolOffUntil", s.coolOffUntil().toString());
        }
        if (s.decided() != null) {
            o.put("decidedAt", s.decided().toString());
        }
        if (s.publisher() != null) {
            o.set("trustedPublisher", read(read(s.publisher()).path("identity").asText()));
        }
        if (s.holdReason() != null) {
            o.put("heldBecause", s.holdReason());
        }
        return o;
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
