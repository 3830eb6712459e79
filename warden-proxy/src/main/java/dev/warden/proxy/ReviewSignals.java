package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.review.Action;
import dev.warden.review.Ecosystem;
import dev.warden.review.Finding;
import dev.warden.review.Findings;
import dev.warden.review.ReviewPolicy;
import dev.warden.review.ReviewSettings;
import dev.warden.review.Reviewer;
import dev.warden.review.Subject;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.verify.TarballFacts;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The release review's signals on an upstream version: warden-review's {@link Reviewer} on its
 * tarball and the previous version's (when that one was ingested), mapped by the registry's default
 * {@link ReviewPolicy}. A hold or quarantine holds the version with the findings; a flag serves it
 * and is recorded. A review that cannot run holds the version (fail closed: an upstream that can
 * make the reviewer throw must not get a version past it).
 */
final class ReviewSignals {

    /** What the review decided, and the findings as the ingest statement records them. */
    record Outcome(Action action, String reason, Map<String, Object> detail) {}

    /** How long the review of one version may take before the version is held instead. */
    static final Duration BUDGET = Duration.ofSeconds(20);

    private final Reviewer reviewer;
    private final ReviewPolicy policy;
    private final MetadataStore store;
    private final BlobStore blobs;

    ReviewSignals(Ecosystem ecosystem, MetadataStore store, BlobStore blobs) {
        this.reviewer = new Reviewer(ReviewSettings.DEFAULTS, ecosystem);
        this.policy = ReviewPolicy.DEFAULT;
        this.store = store;
        this.blobs = blobs;
    }

    /**
     * Reviews {@code name@version}.
     *
     * @param doc the upstream packument, for the version before this one
     * @param at the upstream's publish time, or now when it gives none
     */
    Outcome review(
            String name,
            String version,
            byte[] tarball,
            JsonNode versionDoc,
            JsonNode doc,
            boolean provenance,
            Instant at) {
        Subject.Previous previous = previous(name, version, doc);
        JsonNode user = versionDoc.path("_npmUser");
        boolean trusted = Continuity.trustedPublisher(versionDoc);
        String publisher = user.path("name").asText("unknown");
        Subject subject =
                new Subject(
                        name,
                        version,
                        tarball,
                        manifest(tarball, versionDoc),
                        previous,
                        previous == null ? null : previous.version(),
                        new Subject.Publisher(
                                publisher,
                                trusted,
                                !trusted,
                                provenance,
                                previous != null && !publisher.equals(previous.publisher()),
                                null,
                                null,
                                false,
                                null,
                                false),
                        at);
        Findings findings;
        try {
            findings = Reviewer.within("proxy-review", BUDGET, () -> reviewer.examine(subject));
        } catch (RuntimeException | StackOverflowError | TimeoutException e) {
            String why =
                    e instanceof TimeoutException
                            ? "it took longer than " + BUDGET.toSeconds() + " s"
                            : e.getClass().getSimpleName();
            return new Outcome(
                    Action.HOLD,
                    "the release review could not run (" + why + ")",
                    Map.of("action", "hold", "failed", why));
        }
        Action action = Action.ALLOW;
        List<Map<String, String>> judged = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Finding f : findings.findings()) {
            Action a = policy.actionOf(f);
            judged.add(
                    Map.of(
                            "id", f.id(),
                            "severity", f.severity().name().toLowerCase(Locale.ROOT),
                            "action", word(a),
                            "summary", f.summary()));
            if (a.compareTo(Action.HOLD) >= 0) {
                reasons.add(f.id() + ": " + f.summary());
            }
            if (a.compareTo(action) > 0) {
                action = a;
            }
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("action", word(action));
        detail.put("findings", judged);
        if (!findings.notComputed().isEmpty()) {
            detail.put("notComputed", findings.notComputed());
        }
        String reason =
                reasons.isEmpty()
                        ? null
                        : "the release review holds it: " + String.join("; ", reasons);
        return new Outcome(action, reason, detail);
    }

    /**
     * The version before this one (by the upstream's time), for the review: only when it was
     * ingested, so its bytes are the verified ones.
     */
    private Subject.Previous previous(String name, String version, JsonNode doc) {
        Instant at = Continuity.time(doc, version);
        if (at == null) {
            return null;
        }
        IngestedVersion before = null;
        Instant beforeAt = null;
        for (IngestedVersion row : store.read(tx -> tx.upstreams().versions(name))) {
            Instant t = Continuity.time(doc, row.version());
            if (row.blobKey() != null
                    && t != null
                    && t.isBefore(at)
                    && (beforeAt == null || t.isAfter(beforeAt))) {
                before = row;
                beforeAt = t;
            }
        }
        if (before == null) {
            return null;
        }
        byte[] bytes = readBlob(before.blobKey());
        JsonNode manifest = doc.path("versions").path(before.version());
        if (bytes == null || !manifest.isObject()) {
            return null;
        }
        return new Subject.Previous(
                before.version(),
                bytes,
                manifest(bytes, manifest),
                UpstreamVersion.verifiedProvenance(before).isPresent(),
                Continuity.trustedPublisher(manifest),
                manifest.path("_npmUser").path("name").asText("unknown"));
    }

    private byte[] readBlob(String key) {
        try {
            Optional<BlobStore.Blob> b = blobs.get(key);
            if (b.isEmpty()) {
                return null;
            }
            try (InputStream in = b.get().open()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The tarball's own package.json (what a client installs, whatever the packument says), or the
     * packument's manifest when the tarball has none.
     */
    private static JsonNode manifest(byte[] tarball, JsonNode fromPackument) {
        JsonNode own = TarballFacts.packageJson(tarball);
        return own != null && own.isObject() ? own : fromPackument;
    }

    private static String word(Action a) {
        return a.name().toLowerCase(Locale.ROOT);
    }
}
