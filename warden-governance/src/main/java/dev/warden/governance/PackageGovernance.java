package dev.warden.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.storage.BlobStore;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Governance of packages: each package's versioned policy, and releases staged for approval ({@code
 * npm stage}). A governed package's publishes become stages; a stage goes live once the policy's
 * number of distinct maintainers other than the one who staged it have approved it (with a fresh
 * second factor, checked by the caller) and its cool-off has passed. One rejection ends it; a stage
 * expires after {@link #STAGE_LIFETIME}. Only approvals of current maintainers count. Every policy
 * version, stage, approval, rejection and release is a transparency-log statement.
 *
 * <p>This is the one entry point; the parts are {@link Policies} (policy and impact), {@link
 * ChangeRequests} (critical changes held for approval), {@link Stages} (releases held for
 * approval), sharing one {@link Quorum}, and {@link Succession}. What governance needs of the
 * registry comes in by constructor as ports the registry implements: {@link PackageFacts} (reads),
 * {@link Events} (the outbox) and {@link Enactment} (carrying out what was approved).
 */
public final class PackageGovernance {

    /** How long a stage waits for its approvals. */
    public static final Duration STAGE_LIFETIME = Duration.ofDays(7);

    /** States of stages and change requests, as stored. */
    public static final String PENDING = "pending";

    public static final String APPROVED = "approved";
    public static final String PUBLISHED = "published";
    public static final String REJECTED = "rejected";
    public static final String EXPIRED = "expired";
    public static final String FAILED = "failed";

    private final Clock clock;
    private final Events events;
    private final Quorum quorum;
    private final Policies policies;
    private final ChangeRequests requests;
    private final Stages stages;
    private final Succession succession;

    /**
     * @param clock the registry's clock
     * @param facts the registry's rules about who may see and act on a package
     * @param events the registry's event outbox and listeners
     * @param enactment carries out approved changes and releases
     */
    public PackageGovernance(
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            Clock clock,
            GovernanceSettings settings,
            PackageFacts facts,
            Events events,
            Enactment enactment) {
        this(store, blobs, json, clock, settings, facts, events, enactment, ApproverTraining.NONE);
    }

    /**
     * @param training which exercises a maintainer still has to complete, for policies that ask
     *     them of approvers
     */
    public PackageGovernance(
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            Clock clock,
            GovernanceSettings settings,
            PackageFacts facts,
            Events events,
            Enactment enactment,
            ApproverTraining training) {
        this.clock = clock;
        this.events = events;
        Maintainers maintainers = new Maintainers(facts);
        this.policies =
                new Policies(facts, events, store, json, clock, maintainers, settings, training);
        this.quorum =
                new Quorum(policies, facts, clock, settings.minApproverAccountAge(), training);
        this.succession =
                new Succession(facts, events, enactment, store, json, clock, this::hold, settings);
        this.requests =
                new ChangeRequests(
                        facts,
                        events,
                        enactment,
                        store,
                        json,
                        clock,
                        quorum,
                        policies,
                        succession,
                        maintainers,
                        this::releaseDue);
        this.stages =
                new Stages(
                        facts,
                        events,
                        enactment,
                        store,
                        blobs,
                        json,
                        clock,
                        quorum,
                        maintainers,
                        this::releaseDue);
    }

    /** The registry's time: its clock to the millisecond, as every stored time. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Successors, notices and claims. */
    public Succession succession() {
        return succession;
    }

    // ---------------------------------------------------------------- policies

    /**
     * The policy in force for {@code pkg} ({@link GovernancePolicy#SOLO} when it never had one).
     */
    public GovernancePolicy policy(String pkg) {
        return policies.policy(pkg);
    }

    /**
     * The policy in force: the package's own, raised to the high-impact floor when the package is
     * high-impact (at least one other maintainer's approval once there are two maintainers). For
     * the registry's flows, inside their transaction.
     */
    public GovernancePolicy policy(ReadTx tx, String pkg) {
        return policies.policy(tx, pkg);
    }

    /** How many depend on a package, and whether that makes it high-impact. */
    public record Impact(
            long weeklyDownloads,
            int dependents,
            boolean highImpact,
            long downloadsThreshold,
            int dependentsThreshold) {}

    public Impact impact(String pkg, Principal reader) {
        return policies.impact(pkg, reader);
    }

    /** As {@link #impact(String, Principal)}, inside the caller's transaction. */
    public Impact impact(ReadTx tx, String pkg) {
        return policies.impact(tx, pkg);
    }

    /** Whether {@code pkg} is high-impact now (false for a package that does not exist). */
    public boolean highImpact(String pkg) {
        return policies.highImpact(pkg);
    }

    /** The public record of a package's policy: every version, newest last. */
    public ObjectNode policyDocument(String pkg, Principal reader) {
        return policies.policyDocument(pkg, reader);
    }

    /**
     * Adopts {@code next} as {@code pkg}'s policy. One maintainer may tighten it; loosening a
     * policy that asks for approvals is a critical change that needs them, and is refused here.
     */
    public List<Long> setPolicy(String pkg, GovernancePolicy next, Principal principal) {
        try {
            return policies.writePolicy(pkg, next, principal, false);
        } catch (Policies.LooserPolicy e) {
            hold(pkg, new Change.Policy(next, e.current), principal, false);
            throw new IllegalStateException(
                    "a looser policy of " + pkg + " was neither held nor refused");
        }
    }

    // ---------------------------------------------------------------- change requests

    /**
     * Holds a critical change to {@code pkg} as a request for {@code approvals} maintainers'
     * approval, in the caller's transaction with its statement in {@code events}; returns its id.
     */
    public String requestChange(
            MetadataStore.WriteTx tx,
            Events.Batch events,
            String pkg,
            String kind,
            Map<String, Object> payload,
            Principal principal,
            int approvals,
            Instant now) {
        return requests.requestChange(tx, events, pkg, kind, payload, principal, approvals, now);
    }

    /**
     * Holds a critical change to a governed package for approval, as governance decides (see {@link
     * ChangeRequests#hold}).
     *
     * @param approved whether this is an approved change request being applied (never held again)
     */
    public void hold(String pkg, Change change, Principal principal, boolean approved) {
        requests.hold(pkg, change, principal, approved);
    }

    /** Pending change requests of the packages {@code principal} maintains. */
    public ArrayNode requests(Principal principal, String pkg) {
        return requests.requests(principal, pkg);
    }

    public ObjectNode request(String id, Principal principal) {
        return requests.request(id, principal);
    }

    /** Records an approval of a change request; applies the change when the quorum is reached. */
    public ObjectNode approveRequest(String id, Principal principal) {
        return requests.approveRequest(id, principal);
    }

    public List<Long> rejectRequest(String id, Principal principal) {
        return requests.rejectRequest(id, principal);
    }

    /** Whether a change request has the approvals its package's policy asks now. */
    public boolean hasQuorum(ReadTx tx, ChangeRequest r) {
        return quorum.hasQuorum(tx, r);
    }

    /**
     * Applies the change requests that have their approvals but were not applied: the process died
     * between the approval's commit and the change. Run once at start, before requests are served.
     */
    public int applyApproved() {
        return requests.applyApproved();
    }

    // ---------------------------------------------------------------- stages

    /**
     * A checked release to hold as a stage: its tarball stored, nothing of it live.
     *
     * @param tag the dist-tag it goes live under
     * @param document the publish document as sent, without the tarball's bytes
     * @param release the registry's record of the checked release, as JSON: what goes live once
     *     approved, without inspecting it again
     * @param restricted whether it is published as restricted
     * @param review what the release review decided (its action and finding ids, for the log), or
     *     empty
     */
    public record Candidate(
            String pkg,
            String version,
            String tag,
            ObjectNode document,
            String blobKey,
            String shasum,
            String integrity,
            String release,
            boolean restricted,
            Map<String, Object> review) {

        public Candidate {
            review = Map.copyOf(review);
        }

        /** Whether the review quarantined it: kept, installable by no one until approved. */
        public boolean quarantined() {
            return "quarantine".equals(review.get("action"));
        }
    }

    /**
     * A stage opened.
     *
     * @param notice what the client is told (the {@code npm-notice} header), or null when it asked
     *     to stage
     */
    public record Opened(String id, String notice, List<Long> logIndexes) {}

    /**
     * Holds a checked release as a stage, with the release it goes live as once approved (see
     * {@link Stages#stage}).
     */
    public Opened stage(
            Candidate p,
            Principal principal,
            GovernancePolicy policy,
            int required,
            boolean selfApproval,
            int coolOffHours,
            boolean explicit,
            String holdReason) {
        return stages.stage(
                p, principal, policy, required, selfApproval, coolOffHours, explicit, holdReason);
    }

    /**
     * What {@code npm stage view} shows: every field, the approvals so far, and the review
     * material: what the release changes since the version {@code latest} points to.
     */
    public ObjectNode view(String id, Principal principal) {
        return stages.view(id, principal);
    }

    /** The staged tarball ({@code npm stage download}). */
    public byte[] tarball(String id, Principal principal) {
        return stages.tarball(id, principal);
    }

    /**
     * Stages awaiting approval in the packages {@code principal} maintains ({@code npm stage
     * list}).
     */
    public ObjectNode list(Principal principal, String pkg, int page, int perPage) {
        return stages.list(principal, pkg, page, perPage);
    }

    /** The result of an approval. */
    public record Approval(
            StageRecord stage,
            int approvals,
            boolean live,
            Instant goesLiveAt,
            List<Long> logIndexes) {}

    /**
     * Records {@code principal}'s approval (its second factor already checked); releases the
     * version when it completes the quorum.
     */
    public Approval approve(String id, Principal principal) {
        return stages.approve(id, principal);
    }

    /** One maintainer's rejection ends the stage. */
    public List<Long> reject(String id, Principal principal) {
        return stages.reject(id, principal);
    }

    /**
     * Expires change requests and stages past their lifetime and releases approved stages whose
     * cool-off has ended (their approvals are counted again: a maintainer removed meanwhile no
     * longer counts). Run on a timer and before stages are read or acted on.
     */
    public int releaseDue() {
        Instant now = now(clock);
        Events.Batch events = this.events.batch();
        requests.expireLapsed(now, events);
        return stages.releaseDue(now, events);
    }
}
