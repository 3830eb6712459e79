package dev.warden.governance;

import static dev.warden.governance.PackageGovernance.APPROVED;
import static dev.warden.governance.PackageGovernance.EXPIRED;
import static dev.warden.governance.PackageGovernance.FAILED;
import static dev.warden.governance.PackageGovernance.PENDING;
import static dev.warden.governance.PackageGovernance.PUBLISHED;
import static dev.warden.governance.PackageGovernance.REJECTED;
import static dev.warden.governance.PackageGovernance.STAGE_LIFETIME;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.BlobStore;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.Versions.VersionRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Releases staged for approval ({@code npm stage}): staging, what reviewers see, approvals and
 * rejections, and going live once the quorum is reached and the cool-off has passed.
 */
final class Stages {

    private static final Logger LOG = LoggerFactory.getLogger(PackageGovernance.class);

    private final PackageFacts facts;
    private final Events events;
    private final Enactment enactment;
    private final MetadataStore store;
    private final BlobStore blobs;
    private final ObjectMapper json;
    private final Clock clock;
    private final Quorum quorum;
    private final Maintainers maintainers;
    private final StageRecords records;

    /** Expires and releases what is due, before stages are read or acted on. */
    private final Runnable catchUp;

    Stages(
            PackageFacts facts,
            Events events,
            Enactment enactment,
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            Clock clock,
            Quorum quorum,
            Maintainers maintainers,
            Runnable catchUp) {
        this.facts = facts;
        this.events = events;
        this.enactment = enactment;
        this.store = store;
        this.blobs = blobs;
        this.json = json;
        this.clock = clock;
        this.quorum = quorum;
        this.maintainers = maintainers;
        this.records = new StageRecords(json, quorum);
        this.catchUp = catchUp;
    }

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
    PackageGovernance.Opened stage(
            PackageGovernance.Candidate p,
            Principal principal,
            GovernancePolicy policy,
            int required,
            boolean selfApproval,
            int coolOffHours,
            boolean explicit,
            String holdReason) {
        String pkg = p.pkg();
        String id = UUID.randomUUID().toString();
        Events.Batch events = this.events.batch();
        Instant now = PackageGovernance.now(clock);
        Instant coolOff = coolOffHours > 0 ? now.plus(Duration.ofHours(coolOffHours)) : null;
        store.write(
                tx -> {
                    boolean pending =
                            tx.governance().stages(List.of(pkg), PENDING, 0, 1_000).stream()
                                            .anyMatch(s -> s.version().equals(p.version()))
                                    || tx
                                            .governance()
                                            .stages(List.of(pkg), APPROVED, 0, 1_000)
                                            .stream()
                                            .anyMatch(s -> s.version().equals(p.version()));
                    if (pending) {
                        throw Problem.conflict(
                                pkg
                                        + "@"
                                        + p.version()
                                        + " is already staged: approve or reject that stage first"
                                        + " (npm stage list "
                                        + pkg
                                        + ")");
                    }
                    if (tx.versions().find(pkg, p.version()).isPresent()) {
                        throw Problem.conflict(
                                "cannot stage the previously published version "
                                        + p.version()
                                        + " of "
                                        + pkg);
                    }
                    Principal.Publisher publisher = principal.publisher();
                    tx.governance()
                            .insertStage(
                                    new StageRecord(
                                            id,
                                            pkg,
                                            p.version(),
                                            p.tag(),
                                            write(p.document()),
                                            p.blobKey(),
                                            p.shasum(),
                                            p.integrity(),
                                            principal.user(),
                                            publisher == null ? "user" : "trusted publisher",
                                            publisher == null
                                                    ? null
                                                    : write(records.publisherJson(publisher)),
                                            required,
                                            selfApproval,
                                            coolOff,
                                            now,
                                            now.plus(STAGE_LIFETIME),
                                            PENDING,
                                            null,
                                            null,
                                            holdReason,
                                            p.release()));
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
                    if (!p.review().isEmpty()) {
                        detail.put("review", p.review());
                    }
                    events.record(
                            tx,
                            // a quarantine is its own kind: a monitor watches for it
                            p.quarantined() ? "stage.quarantined" : "stage.created",
                            pkg,
                            p.version(),
                            principal.user(),
                            now,
                            detail,
                            p.restricted());
                    return null;
                });
        List<Long> indexes = events.log();
        String notice =
                explicit
                        ? null
                        : holdReason != null
                                ? "warden: "
                                        + pkg
                                        + "@"
                                        + p.version()
                                        + " is held for maintainer approval: "
                                        + holdReason
                                        + ". It is staged as "
                                        + id
                                        + " and is not live until "
                                        + (required == 1
                                                ? "a maintainer approves"
                                                : required + " other maintainers approve")
                                        + " it with npm stage approve "
                                        + id
                                        + " and a one-time password"
                                : "warden: "
                                        + pkg
                                        + " requires "
                                        + policy.approvals()
                                        + " maintainer approval(s) for a release (policy "
                                        + policy.framework()
                                        + "): "
                                        + pkg
                                        + "@"
                                        + p.version()
                                        + " is staged as "
                                        + id
                                        + " and is not live until approved with npm stage approve "
                                        + id
                                        + (coolOff == null
                                                ? ""
                                                : " and its cool-off ends at " + coolOff);
        LOG.info("staged {}@{} as {} by {}", pkg, p.version(), id, principal.user());
        return new PackageGovernance.Opened(id, notice, indexes);
    }

    /**
     * What {@code npm stage view} shows: every field, the approvals so far, and the review
     * material: what the release changes since the version {@code latest} points to.
     */
    ObjectNode view(String id, Principal principal) {
        catchUp.run();
        VersionRecord[] previous = new VersionRecord[1];
        StageRecord[] stage = new StageRecord[1];
        ObjectNode item =
                store.read(
                        tx -> {
                            StageRecord s = visibleStage(tx, id, principal);
                            stage[0] = s;
                            String latest = tx.tags().of(s.pkg()).get("latest");
                            if (latest != null) {
                                tx.versions()
                                        .find(s.pkg(), latest)
                                        .filter(VersionRecord::live)
                                        .ifPresent(v -> previous[0] = v);
                            }
                            return records.item(tx, s);
                        });
        byte[] next = blob(stage[0].blobKey());
        VersionRecord before = previous[0];
        enactment.describe(
                item, stage[0], next, before, before == null ? null : blob(before.blobKey()));
        return item;
    }

    private byte[] blob(String key) {
        try {
            BlobStore.Blob b =
                    blobs.get(key)
                            .orElseThrow(
                                    () -> Problem.notFound("a tarball of this release is gone"));
            try (InputStream in = b.open()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The staged tarball ({@code npm stage download}). */
    byte[] tarball(String id, Principal principal) {
        return blob(store.read(tx -> visibleStage(tx, id, principal)).blobKey());
    }

    /**
     * Stages awaiting approval in the packages {@code principal} maintains ({@code npm stage
     * list}).
     */
    ObjectNode list(Principal principal, String pkg, int page, int perPage) {
        catchUp.run();
        return store.read(
                tx -> {
                    List<String> packages = maintainers.shownTo(tx, principal, pkg);
                    List<StageRecord> all =
                            new ArrayList<>(tx.governance().stages(packages, PENDING, 0, 10_000));
                    all.addAll(tx.governance().stages(packages, APPROVED, 0, 10_000));
                    ObjectNode out = json.createObjectNode();
                    ArrayNode items = out.putArray("items");
                    int from = Math.min(all.size(), page * perPage);
                    for (StageRecord s : all.subList(from, Math.min(all.size(), from + perPage))) {
                        items.add(records.item(tx, s));
                    }
                    out.put("total", all.size());
                    return out;
                });
    }

    /**
     * Records {@code principal}'s approval (its second factor already checked); releases the
     * version when it completes the quorum.
     */
    PackageGovernance.Approval approve(String id, Principal principal) {
        catchUp.run();
        Events.Batch events = this.events.batch();
        Instant now = PackageGovernance.now(clock);
        int[] count = new int[1];
        StageRecord st =
                store.write(
                        tx -> {
                            StageRecord s =
                                    quorum.underCurrentPolicy(
                                            tx,
                                            tx.governance()
                                                    .stage(id)
                                                    .orElseThrow(
                                                            () ->
                                                                    Problem.notFound(
                                                                            "no staged release with"
                                                                                    + " id "
                                                                                    + Problem.clip(
                                                                                            id))));
                            boolean firstRelease =
                                    principal.publisher() == null
                                            && quorum.stagerOfFirstRelease(tx, s, principal.user());
                            if (!firstRelease) {
                                maintainers.require(tx, s.pkg(), principal);
                            }
                            requireOpen(s, now);
                            if (s.state().equals(APPROVED)) {
                                throw Problem.conflict(
                                        "this release already has its approvals; it goes live at "
                                                + s.coolOffUntil());
                            }
                            if (s.actor().equals(principal.user()) && !s.selfApproval()) {
                                throw Problem.forbidden(
                                        "you staged "
                                                + s.pkg()
                                                + "@"
                                                + s.version()
                                                + ": its policy needs approval from "
                                                + s.required()
                                                + " other maintainer(s)");
                            }
                            String notCounted =
                                    firstRelease
                                            ? null
                                            : quorum.disqualified(
                                                    tx, s.pkg(), principal.user(), s.created());
                            if (notCounted != null) {
                                throw Problem.forbidden(notCounted);
                            }
                            if (!tx.governance().approve(id, principal.user(), now)) {
                                throw Problem.conflict(
                                        "you have already approved " + s.pkg() + "@" + s.version());
                            }
                            count[0] = quorum.countingApprovals(tx, s);
                            Map<String, Object> detail = new LinkedHashMap<>();
                            detail.put("stageId", id);
                            detail.put("approvals", count[0]);
                            detail.put("approvalsRequired", s.required());
                            Map<String, Object> review = enactment.reviewOf(s);
                            if (!review.isEmpty()) {
                                detail.put("review", review);
                            }
                            events.record(
                                    tx,
                                    "stage.approved",
                                    s.pkg(),
                                    s.version(),
                                    principal.user(),
                                    now,
                                    detail,
                                    restricted(s));
                            if (count[0] >= s.required()) {
                                tx.governance().decide(id, APPROVED, now, principal.user());
                            }
                            return s;
                        });
        List<Long> indexes = new ArrayList<>(events.log());
        boolean quorum = count[0] >= st.required();
        boolean due = quorum && (st.coolOffUntil() == null || !now.isBefore(st.coolOffUntil()));
        if (due) {
            indexes.addAll(release(st));
        }
        return new PackageGovernance.Approval(
                st,
                count[0],
                due,
                quorum ? (st.coolOffUntil() == null ? now : st.coolOffUntil()) : null,
                indexes);
    }

    /**
     * One maintainer's rejection ends the stage (or its stager's, for a new package's first
     * release: withdrawn).
     */
    List<Long> reject(String id, Principal principal) {
        catchUp.run();
        Events.Batch events = this.events.batch();
        Instant now = PackageGovernance.now(clock);
        StageRecord rejected =
                store.write(
                        tx -> {
                            StageRecord s =
                                    tx.governance()
                                            .stage(id)
                                            .orElseThrow(
                                                    () ->
                                                            Problem.notFound(
                                                                    "no staged release with id "
                                                                            + Problem.clip(id)));
                            if (principal.publisher() != null
                                    || !quorum.stagerOfFirstRelease(tx, s, principal.user())) {
                                maintainers.require(tx, s.pkg(), principal);
                            }
                            requireOpen(s, now);
                            tx.governance().decide(id, REJECTED, now, principal.user());
                            events.record(
                                    tx,
                                    "stage.rejected",
                                    s.pkg(),
                                    s.version(),
                                    principal.user(),
                                    now,
                                    Map.of("stageId", id),
                                    restricted(s));
                            return s;
                        });
        List<Long> indexes = events.log();
        enactment.stageClosed(rejected);
        return indexes;
    }

    /**
     * Expires stages past their lifetime and releases approved ones whose cool-off has ended (their
     * approvals are counted again: a maintainer removed meanwhile no longer counts); logs {@code
     * events} with its own. Returns how many stages were due.
     */
    int releaseDue(Instant now, Events.Batch events) {
        List<StageRecord> due =
                store.read(
                        tx -> {
                            List<StageRecord> out =
                                    new ArrayList<>(tx.governance().stagesExpiredBy(PENDING, now));
                            out.addAll(tx.governance().stagesCooledOffBy(APPROVED, now));
                            return out;
                        });
        if (due.isEmpty()) {
            events.log();
            return 0;
        }
        List<StageRecord> release = new ArrayList<>();
        store.write(
                tx -> {
                    for (StageRecord s : due) {
                        StageRecord fresh =
                                quorum.underCurrentPolicy(
                                        tx, tx.governance().stage(s.id()).orElseThrow());
                        if (fresh.state().equals(PENDING) && !now.isBefore(fresh.expires())) {
                            tx.governance().decide(s.id(), EXPIRED, now, null);
                            events.record(
                                    tx,
                                    "stage.expired",
                                    s.pkg(),
                                    s.version(),
                                    "registry",
                                    now,
                                    Map.of("stageId", s.id()),
                                    restricted(s));
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
        events.log();
        for (StageRecord s : due) {
            if (s.state().equals(PENDING) && !now.isBefore(s.expires())) {
                enactment.stageClosed(s);
            }
        }
        for (StageRecord s : release) {
            try {
                release(s);
            } catch (Problem e) {
                LOG.warn(
                        "stage {} of {}@{} could not go live: {}",
                        s.id(),
                        s.pkg(),
                        s.version(),
                        e.getMessage());
            }
        }
        return due.size();
    }

    /** Makes an approved stage live, as its stager would have published it. */
    private List<Long> release(StageRecord s) {
        Principal stager = records.stagerOf(s);
        List<Long> indexes;
        try {
            indexes = new ArrayList<>(enactment.goLive(s, stager));
        } catch (Problem e) {
            store.write(
                    tx -> {
                        tx.governance().decide(s.id(), FAILED, PackageGovernance.now(clock), null);
                        return null;
                    });
            throw e;
        }
        Events.Batch events = this.events.batch();
        Map<String, Object> review = enactment.reviewOf(s);
        store.write(
                tx -> {
                    tx.governance().decide(s.id(), PUBLISHED, PackageGovernance.now(clock), null);
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("stageId", s.id());
                    detail.put("approvedBy", tx.governance().approvers(s.id()));
                    if (!review.isEmpty()) {
                        detail.put("review", review);
                    }
                    events.record(
                            tx,
                            "stage.released",
                            s.pkg(),
                            s.version(),
                            "registry",
                            PackageGovernance.now(clock),
                            detail);
                    return null;
                });
        indexes.addAll(events.log());
        LOG.info("staged release {}@{} ({}) is live", s.pkg(), s.version(), s.id());
        return indexes;
    }

    /**
     * Whether a stage is of a release published as restricted (its package may have no row yet to
     * say so).
     */
    private boolean restricted(StageRecord s) {
        return read(s.document()).path("access").asText("").equals("restricted");
    }

    private static void requireOpen(StageRecord s, Instant now) {
        switch (s.state()) {
            case REJECTED ->
                    throw Problem.conflict("this release was rejected by " + s.decidedBy());
            case PUBLISHED ->
                    throw Problem.conflict(
                            s.pkg() + "@" + s.version() + " was approved and is published");
            case EXPIRED -> throw Problem.conflict("this staged release expired at " + s.expires());
            case FAILED -> throw Problem.conflict("this staged release could not be published");
            default -> {
                if (!now.isBefore(s.expires())) {
                    throw Problem.conflict("this staged release expired at " + s.expires());
                }
            }
        }
    }

    private StageRecord visibleStage(ReadTx tx, String id, Principal principal) {
        StageRecord s =
                tx.governance()
                        .stage(id)
                        .orElseThrow(
                                () ->
                                        Problem.notFound(
                                                "no staged release with id " + Problem.clip(id)));
        if (!facts.mayView(principal, s.pkg())
                || !facts.mayMaintain(tx, s.pkg(), principal.user())
                        && !s.actor().equals(principal.user())) {
            throw Problem.notFound("no staged release with id " + Problem.clip(id));
        }
        return s;
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
