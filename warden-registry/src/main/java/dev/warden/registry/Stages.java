package dev.warden.registry;

import static dev.warden.registry.PackageGovernance.APPROVED;
import static dev.warden.registry.PackageGovernance.EXPIRED;
import static dev.warden.registry.PackageGovernance.FAILED;
import static dev.warden.registry.PackageGovernance.PENDING;
import static dev.warden.registry.PackageGovernance.PUBLISHED;
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
import dev.warden.common.Problem;
import dev.warden.governance.GovernancePolicy;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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

    private final Registry registry;
    private final Outbox outbox;
    private final MetadataStore store;
    private final BlobStore blobs;
    private final ObjectMapper json;
    private final Quorum quorum;
    private final StageRecords records;

    /** Expires and releases what is due, before stages are read or acted on. */
    private final Runnable catchUp;

    Stages(
            Registry registry,
            Outbox outbox,
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            Quorum quorum,
            Runnable catchUp) {
        this.registry = registry;
        this.outbox = outbox;
        this.store = store;
        this.blobs = blobs;
        this.json = json;
        this.quorum = quorum;
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
    Registry.Published stage(
            Release p,
            ObjectNode body,
            Principal principal,
            GovernancePolicy policy,
            int required,
            boolean selfApproval,
            int coolOffHours,
            boolean explicit,
            String holdReason) {
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
                                            tag,
                                            write(document),
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
                                            releaseJson));
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
                    outbox.record(
                            tx,
                            events,
                            "stage.created",
                            pkg,
                            p.version(),
                            principal.user(),
                            now,
                            detail,
                            "restricted".equals(p.access()));
                    return null;
                });
        List<Long> indexes = outbox.log(events);
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
        return new Registry.Published(
                pkg, p.version(), p.integrity(), p.differences(), indexes, id, notice);
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
        ReleaseDiff.describe(
                item,
                json,
                before == null ? null : before.version(),
                before == null ? null : blob(before.blobKey()),
                before == null ? null : read(before.manifest()),
                next,
                servedManifest(stage[0], next));
        return item;
    }

    /**
     * The manifest a stage will be served with once released: its publish document's, built as the
     * publish builds it.
     */
    private JsonNode servedManifest(StageRecord s, byte[] tarball) {
        if (s.release() != null) {
            return Release.fromJson(read(s.release())).served();
        }
        if (!(read(s.document()).path("versions").get(s.version())
                instanceof ObjectNode uploaded)) {
            throw new IllegalStateException(
                    "stage " + s.id() + " has no manifest of " + s.version());
        }
        return registry.servedManifest(PackageName.parse(s.pkg()), uploaded, tarball);
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
                    List<String> packages = maintainedBy(tx, principal, pkg);
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
        List<Outbox.PendingEvent> events = new ArrayList<>(2);
        Instant now = registry.now();
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
                                                                                    + Registry.clip(
                                                                                            id))));
                            requireMaintainer(tx, s.pkg(), principal);
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
                                    quorum.disqualified(tx, s.pkg(), principal.user(), s.created());
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
                            outbox.record(
                                    tx,
                                    events,
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
        List<Long> indexes = new ArrayList<>(outbox.log(events));
        boolean quorum = count[0] >= st.required();
        boolean due = quorum && (st.coolOffUntil() == null || !now.isBefore(st.coolOffUntil()));
        if (due) {
            indexes.addAll(release(st).logIndexes());
        }
        return new PackageGovernance.Approval(
                st,
                count[0],
                due,
                quorum ? (st.coolOffUntil() == null ? now : st.coolOffUntil()) : null,
                indexes);
    }

    /** One maintainer's rejection ends the stage. */
    List<Long> reject(String id, Principal principal) {
        catchUp.run();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Instant now = registry.now();
        store.write(
                tx -> {
                    StageRecord s =
                            tx.governance()
                                    .stage(id)
                                    .orElseThrow(
                                            () ->
                                                    Problem.notFound(
                                                            "no staged release with id "
                                                                    + Registry.clip(id)));
                    requireMaintainer(tx, s.pkg(), principal);
                    requireOpen(s, now);
                    tx.governance().decide(id, REJECTED, now, principal.user());
                    outbox.record(
                            tx,
                            events,
                            "stage.rejected",
                            s.pkg(),
                            s.version(),
                            principal.user(),
                            now,
                            Map.of("stageId", id),
                            restricted(s));
                    return null;
                });
        return outbox.log(events);
    }

    /**
     * Expires stages past their lifetime and releases approved ones whose cool-off has ended (their
     * approvals are counted again: a maintainer removed meanwhile no longer counts); logs {@code
     * events} with its own. Returns how many stages were due.
     */
    int releaseDue(Instant now, List<Outbox.PendingEvent> events) {
        List<StageRecord> due =
                store.read(
                        tx -> {
                            List<StageRecord> out =
                                    new ArrayList<>(tx.governance().stagesExpiredBy(PENDING, now));
                            out.addAll(tx.governance().stagesCooledOffBy(APPROVED, now));
                            return out;
                        });
        if (due.isEmpty()) {
            outbox.log(events);
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
                            outbox.record(
                                    tx,
                                    events,
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
        outbox.log(events);
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
    private Registry.Published release(StageRecord s) {
        Principal stager = records.stagerOf(s);
        Registry.Published published;
        try {
            if (!(json.readTree(s.document()) instanceof ObjectNode body)) {
                throw new IllegalStateException("stage " + s.id() + " has no publish document");
            }
            Release release;
            if (s.release() != null) {
                release = Release.fromJson(read(s.release())); // exactly what was reviewed: not
                // inspected again
            } else {
                byte[] bytes = blob(s.blobKey());
                body.withObjectProperty("_attachments")
                        .withObjectProperty(s.pkg() + "-" + s.version() + ".tgz")
                        .put("data", Base64.getEncoder().encodeToString(bytes));
                release = registry.releaseOfLegacyStage(body, s.pkg());
            }
            published = registry.goLive(release, stager, true);
        } catch (Problem e) {
            store.write(
                    tx -> {
                        tx.governance().decide(s.id(), FAILED, registry.now(), null);
                        return null;
                    });
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        store.write(
                tx -> {
                    tx.governance().decide(s.id(), PUBLISHED, registry.now(), null);
                    outbox.record(
                            tx,
                            events,
                            "stage.released",
                            s.pkg(),
                            s.version(),
                            "registry",
                            registry.now(),
                            Map.of(
                                    "stageId",
                                    s.id(),
                                    "approvedBy",
                                    tx.governance().approvers(s.id())));
                    return null;
                });
        List<Long> indexes = new ArrayList<>(published.logIndexes());
        indexes.addAll(outbox.log(events));
        LOG.info("staged release {}@{} ({}) is live", s.pkg(), s.version(), s.id());
        return new Registry.Published(
                published.name(),
                published.version(),
                published.integrity(),
                published.differences(),
                indexes);
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

    private static StageRecord visibleStage(ReadTx tx, String id, Principal principal) {
        StageRecord s =
                tx.governance()
                        .stage(id)
                        .orElseThrow(
                                () ->
                                        Problem.notFound(
                                                "no staged release with id " + Registry.clip(id)));
        if (!Authority.mayView(principal, s.pkg())
                || !Authority.mayMaintain(tx, s.pkg(), principal.user())
                        && !s.actor().equals(principal.user())) {
            throw Problem.notFound("no staged release with id " + Registry.clip(id));
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
