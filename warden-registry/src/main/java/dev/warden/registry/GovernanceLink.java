package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.Change;
import dev.warden.governance.Enactment;
import dev.warden.governance.Events;
import dev.warden.governance.PackageFacts;
import dev.warden.provenance.TrustedPublishing;
import dev.warden.storage.BlobStore;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Versions.VersionRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's side of governance's ports: what governance reads of the registry's rules ({@link
 * PackageFacts}), the registry's outbox and listeners ({@link Events}), and carrying out what
 * maintainers approved ({@link Enactment}), through the registry's parts with {@code approved} so
 * an approved change is not held again. Governance calls these; it never sees the {@link Registry}.
 */
final class GovernanceLink implements PackageFacts, Events, Enactment {

    private final RegistryParts parts;
    private final Outbox outbox;
    private final BlobStore blobs;
    private final ObjectMapper json;

    GovernanceLink(RegistryParts parts, Outbox outbox, BlobStore blobs, ObjectMapper json) {
        this.parts = parts;
        this.outbox = outbox;
        this.blobs = blobs;
        this.json = json;
    }

    // ---------------------------------------------------------------- facts

    @Override
    public void requireReadable(String pkg, Principal reader) {
        parts.visibility.requireReadable(pkg, reader);
    }

    @Override
    public boolean readable(String pkg, Principal reader) {
        return parts.visibility.readable(pkg, reader);
    }

    @Override
    public long weeklyDownloads(ReadTx tx, String pkg) {
        return parts.unpublishing.weeklyDownloads(tx, pkg);
    }

    @Override
    public boolean mayView(Principal principal, String pkg) {
        return Authority.mayView(principal, pkg);
    }

    @Override
    public boolean mayMaintain(ReadTx tx, String pkg, String user) {
        return Authority.mayMaintain(tx, pkg, user);
    }

    @Override
    public Optional<Instant> maintainerSince(ReadTx tx, String pkg, String user) {
        return Authority.maintainerSince(tx, pkg, user);
    }

    @Override
    public void requireMaintainer(ReadTx tx, String pkg, Principal principal, String what) {
        Authority.requireMaintainer(tx, pkg, principal, what);
    }

    @Override
    public void requireCovers(Principal principal, String pkg) {
        Authority.requireCovers(principal, pkg);
    }

    @Override
    public void requirePerson(Principal principal, String pkg, String what) {
        Authority.requirePerson(principal, pkg, what);
    }

    // ---------------------------------------------------------------- events

    @Override
    public Batch batch() {
        return over(outbox, new ArrayList<>());
    }

    /** A batch that records into {@code events}, a list the registry's own change logs itself. */
    static Batch over(Outbox outbox, List<Outbox.PendingEvent> events) {
        return new Batch() {
            @Override
            public void record(
                    WriteTx tx,
                    String kind,
                    String pkg,
                    String version,
                    String actor,
                    Instant at,
                    Map<String, Object> detail,
                    boolean restricted) {
                outbox.record(tx, events, kind, pkg, version, actor, at, detail, restricted);
            }

            @Override
            public List<Long> log() {
                return outbox.log(events);
            }
        };
    }

    @Override
    public void emit(String kind, String user, String pkg, Map<String, Object> detail) {
        parts.listeners.emit(kind, user, pkg, detail);
    }

    // ---------------------------------------------------------------- enactment

    @Override
    public List<Long> apply(
            String pkg, Change change, String requester, Map<String, Object> approval) {
        Principal by = new Principal(requester, false, null);
        return switch (change) {
            case Change.Owners o ->
                    parts.documents.applyApprovedOwners(
                            pkg, o.added(), o.removed(), requester, approval);
            case Change.DistTag t -> parts.tags.set(pkg, t.tag(), t.version(), by, true);
            case Change.Versions v ->
                    parts.documents.applyVersionChanges(pkg, v.deprecate(), v.unpublish(), by);
            case Change.Unpublish u -> parts.unpublishing.unpublishPackage(pkg, null, by, true);
            case Change.Access a -> {
                parts.access.setAccess(pkg, a.access(), by, true);
                yield List.of();
            }
            case Change.Mfa m -> {
                parts.access.setMfaPolicy(
                        pkg, m.publishRequiresTfa(), m.automationOverrides(), by, true);
                yield List.of();
            }
            case Change.TrustedPublisherAdd t ->
                    parts.trust
                            .add(
                                    pkg,
                                    TrustedPublishing.checkConfig(json.valueToTree(t.config())),
                                    by,
                                    true)
                            .logIndexes();
            case Change.TrustedPublisherRemove t -> parts.trust.remove(pkg, t.id(), by, true);
            case Change.TrustedPublishingOptional t -> parts.trust.require(pkg, false, by, true);
            case Change.Policy p -> throw governanceOwns(p);
            case Change.Successors s -> throw governanceOwns(s);
            case Change.Release r -> throw governanceOwns(r);
        };
    }

    private static IllegalStateException governanceOwns(Change change) {
        return new IllegalStateException(
                "governance applies a " + change.kind() + " change itself, not the registry");
    }

    @Override
    public List<Long> applyOrgChange(ChangeRequest request, JsonNode payload) {
        return parts.organizations().applyApproved(request, payload, parts.governance);
    }

    @Override
    public List<Long> goLive(StageRecord s, Principal stager) {
        if (!(read(s.document()) instanceof ObjectNode body)) {
            throw new IllegalStateException("stage " + s.id() + " has no publish document");
        }
        Release release;
        if (s.release() != null) {
            // exactly what was reviewed: not inspected again
            release = Release.fromJson(read(s.release()));
        } else {
            body.withObjectProperty("_attachments")
                    .withObjectProperty(s.pkg() + "-" + s.version() + ".tgz")
                    .put("data", Base64.getEncoder().encodeToString(blob(s.blobKey())));
            release = parts.publishes.releaseOfLegacyStage(body, s.pkg());
        }
        return parts.publishes.goLive(release, stager, true).logIndexes();
    }

    @Override
    public void describe(
            ObjectNode item,
            StageRecord stage,
            byte[] tarball,
            VersionRecord previous,
            byte[] previousTarball) {
        // the review's findings come first: what approvers must see before the diff
        ReviewVerdict review = reviewVerdict(stage);
        if (review != null) {
            item.put("reviewAction", ReviewVerdict.word(review.action()));
            item.put("reviewPolicy", review.policy());
            item.put("findings", review.findings().isEmpty() ? "none" : review.text());
            if (!review.notComputed().isEmpty()) {
                item.put("findingsNotComputed", String.join("; ", review.notComputed()));
            }
        }
        ReleaseDiff.describe(
                item,
                json,
                previous == null ? null : previous.version(),
                previousTarball,
                previous == null ? null : read(previous.manifest()),
                tarball,
                servedManifest(stage, tarball));
    }

    @Override
    public void stageClosed(StageRecord stage) {
        if ("quarantine".equals(reviewOf(stage).get("action"))) {
            parts.docs.rerender(stage.pkg());
        }
    }

    @Override
    public Map<String, Object> reviewOf(StageRecord stage) {
        ReviewVerdict v = reviewVerdict(stage);
        return v == null ? Map.of() : v.statement();
    }

    /** The review kept with a stage's release, or null (none, or a stage from before reviews). */
    ReviewVerdict reviewVerdict(StageRecord stage) {
        return stage.release() == null ? null : Release.fromJson(read(stage.release())).review();
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
        return parts.servedManifest(PackageName.parse(s.pkg()), uploaded, tarball);
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

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
