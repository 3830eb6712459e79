package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Principal;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.Signal;
import dev.warden.review.Action;
import dev.warden.review.Finding;
import dev.warden.review.Findings;
import dev.warden.review.Reviewer;
import dev.warden.review.Severity;
import dev.warden.review.Subject;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.Versions.VersionRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The review stage of a publish: the release and the one it follows ({@code latest}) with the facts
 * about its publisher make a {@link Subject}; the reviewer's findings are mapped to one {@link
 * Action} by the registry's policy, or the stricter one for a high-impact package or one whose
 * governance asks approvals, each raised by the package's own review thresholds ({@link
 * PackageReviewPolicy}: a package's policy makes the review stricter, never laxer).
 *
 * <p>The review never crashes a publish and never lets a release through because it failed: an
 * exception, a stack overflow or a reviewer past its time budget becomes the finding {@code
 * review-failed} and the release is held for a maintainer (fail closed: an attacker who can make
 * the reviewer throw must not get a release past it).
 */
final class ReleaseReview {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseReview.class);

    /** How long the reviewer may take before the release is held instead. */
    static final Duration BUDGET = Duration.ofSeconds(20);

    private final MetadataStore store;
    private final BlobStore blobs;
    private final ObjectMapper json;
    private final ReviewSetup setup;
    private final Packuments docs;
    private final Clock clock;
    private final Function<Subject, Findings> reviewer;

    ReleaseReview(
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            Clock clock,
            ReviewSetup setup,
            Packuments docs,
            LookalikeNames names) {
        this.store = store;
        this.docs = docs;
        this.blobs = blobs;
        this.json = json;
        this.setup = setup;
        this.clock = clock;
        this.reviewer = setup.reviewer().apply(new RegistryEcosystem(store, clock, names));
    }

    /**
     * Reviews {@code release} (its tarball's bytes and package.json) published by {@code principal}
     * from {@code client}.
     *
     * @param strict whether the stricter policy applies (high-impact package)
     */
    ReviewVerdict examine(
            Release release,
            byte[] tarball,
            JsonNode packageJson,
            Principal principal,
            PublishClient client,
            GovernancePolicy policy,
            boolean strict,
            Instant now) {
        boolean stricter = strict || policy.approvals() > 0;
        PackageReviewPolicy rules =
                new PackageReviewPolicy(
                        stricter ? setup.strictPolicy() : setup.policy(), policy.review());
        String pkg = release.name().full();
        Findings findings;
        byte[] previousTarball = null;
        try {
            Facts facts = facts(pkg, principal, client);
            previousTarball = facts.previous == null ? null : blob(facts.previous.blobKey());
            Subject subject =
                    new Subject(
                            pkg,
                            release.version(),
                            tarball,
                            packageJson,
                            facts.previous == null
                                    ? null
                                    : new Subject.Previous(
                                            facts.previous.version(),
                                            previousTarball,
                                            json.readTree(facts.previous.manifest()),
                                            facts.previousProvenance,
                                            facts.previousTrusted,
                                            facts.previous.publisher(),
                                            facts.previousSummary),
                            facts.latest,
                            new Subject.Publisher(
                                    principal.user(),
                                    principal.publisher() != null,
                                    principal.publisher() == null,
                                    release.provenance() != null,
                                    facts.firstPublish,
                                    facts.maintainerSince,
                                    client.address(),
                                    facts.newAddress,
                                    client.userAgent(),
                                    facts.newClient),
                            now,
                            release.tags().isEmpty()
                                    ? "latest"
                                    : release.tags().keySet().iterator().next());
            findings = Reviewer.within("release-review", BUDGET, () -> reviewer.apply(subject));
        } catch (RuntimeException | IOException | StackOverflowError | TimeoutException e) {
            LOG.warn("release review of {}@{} failed", pkg, release.version(), e);
            findings = failed(e);
        }
        List<ReviewVerdict.Judged> judged = new ArrayList<>();
        Action action = Action.ALLOW;
        for (Finding f : findings.findings()) {
            Action a = rules.actionOf(f);
            if (f.id().equals(REVIEW_FAILED) && a.compareTo(Action.HOLD) < 0) {
                a = Action.HOLD; // fail closed, whatever the policy says of it
            }
            judged.add(new ReviewVerdict.Judged(f, a));
            if (a.compareTo(action) > 0) {
                action = a;
            }
        }
        return new ReviewVerdict(
                action,
                (stricter ? "strict" : "default") + (policy.review().isEmpty() ? "" : "+package"),
                judged,
                findings.notComputed(),
                newFiles(tarball, previousTarball),
                findings.summary());
    }

    static final String REVIEW_FAILED = "review-failed";

    /**
     * What a live release's commit writes of its review: its new files, and the action and finding
     * ids in the publish's statement when something was found.
     */
    static void commit(
            MetadataStore.WriteTx tx, Release r, Map<String, Object> statement, Instant now) {
        if (r.review() == null) {
            return;
        }
        tx.reviewFacts().recordNewFiles(r.name().full(), r.version(), r.review().newFiles(), now);
        if (r.review().summary() != null) {
            tx.reviewFacts().recordSummary(r.name().full(), r.version(), r.review().summary());
        }
        if (!r.review().findings().isEmpty()) {
            statement.put("review", r.review().statement());
        }
    }

    /**
     * Tells the package's maintainers (the publisher, for a new package) what the review found when
     * it flagged, held or quarantined the release: an entry in each one's security history, mailed.
     * A held or quarantined release's new files are recorded here (a live one's in its commit), so
     * a worm held in one package still counts when it reaches the next.
     */
    void tell(Registry registry, Release r, Principal principal, Registry.Published published) {
        ReviewVerdict v = r.review();
        if (v == null || v.action() == Action.ALLOW) {
            return;
        }
        String pkg = r.name().full();
        List<String> maintainers = store.read(tx -> tx.maintainers().of(pkg));
        if (published.stageId() != null) {
            store.write(
                    tx -> {
                        tx.reviewFacts()
                                .recordNewFiles(pkg, r.version(), v.newFiles(), clock.instant());
                        // Kept now: the stage may go live later, and its summary with it.
                        if (v.summary() != null) {
                            tx.reviewFacts().recordSummary(pkg, r.version(), v.summary());
                        }
                        return null;
                    });
        }
        List<String> told = new ArrayList<>(maintainers);
        if (told.isEmpty() && principal.publisher() == null) {
            told.add(principal.user());
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("version", r.version());
        detail.put("action", ReviewVerdict.word(v.action()));
        if (published.stageId() != null) {
            detail.put("stageId", published.stageId());
        }
        List<Map<String, String>> findings = new ArrayList<>();
        for (ReviewVerdict.Judged j : v.findings()) {
            findings.add(
                    Map.of(
                            "id", j.finding().id(),
                            "severity", j.finding().severity().name().toLowerCase(Locale.ROOT),
                            "summary", j.finding().summary()));
        }
        detail.put("findings", findings);
        String kind =
                switch (v.action()) {
                    case FLAG -> "release.flagged";
                    case HOLD -> "release.held";
                    default -> "release.quarantined";
                };
        for (String m : told) {
            registry.emit(kind, m, pkg, detail);
        }
        if (v.action() == Action.QUARANTINE && published.stageId() != null) {
            docs.rerender(pkg); // the packument names it as restricted, with why
        }
    }

    /** The signals governance's decision takes: what holds the release (a hold or a quarantine). */
    static List<Signal> signals(ReviewVerdict v) {
        if (v.action().compareTo(Action.HOLD) < 0) {
            return List.of();
        }
        return List.of(new Signal("review-" + ReviewVerdict.word(v.action()), true, v.reasons()));
    }

    private static Findings failed(Throwable e) {
        String why =
                e instanceof TimeoutException
                        ? "it took longer than " + BUDGET.toSeconds() + " s"
                        : e.getClass().getSimpleName();
        return new Findings(
                List.of(
                        new Finding(
                                REVIEW_FAILED,
                                Severity.HIGH,
                                "the release review could not run ("
                                        + why
                                        + "), so the release is held for a maintainer's review",
                                List.of())),
                List.of("all: " + why));
    }

    /** What the review knows of the package and the publisher, read in one transaction. */
    private static final class Facts {
        String latest;
        VersionRecord previous;
        boolean previousProvenance;
        boolean previousTrusted;
        byte[] previousSummary;
        boolean firstPublish;
        Instant maintainerSince;
        boolean newAddress;
        boolean newClient;
    }

    private Facts facts(String pkg, Principal principal, PublishClient client) {
        return store.read(
                tx -> {
                    Facts f = new Facts();
                    f.latest = tx.tags().of(pkg).get("latest");
                    if (f.latest != null) {
                        f.previous =
                                tx.versions()
                                        .find(pkg, f.latest)
                                        .filter(VersionRecord::live)
                                        .orElse(null);
                    }
                    if (f.previous != null) {
                        f.previousProvenance = tx.provenances().find(pkg, f.latest).isPresent();
                        f.previousTrusted =
                                read(f.previous.manifest())
                                        .path("_npmUser")
                                        .has("trustedPublisher");
                        f.previousSummary = tx.reviewFacts().summary(pkg, f.latest);
                    }
                    String user = principal.user();
                    f.firstPublish =
                            tx.versions().all(pkg).stream()
                                    .noneMatch(v -> user.equals(v.publisher()));
                    f.maintainerSince = tx.maintainers().addedAt(pkg, user).orElse(null);
                    if (principal.publisher() == null) {
                        publisherHabits(tx, user, client, f);
                    }
                    return f;
                });
    }

    /**
     * Whether this address and this client are new for the account's publishes: judged only once
     * the account has published before (its first publish is new by definition, and says nothing).
     */
    private void publisherHabits(ReadTx tx, String user, PublishClient client, Facts f) {
        if (tx.securityEvents().latestOf(user, List.of("package.published")).isEmpty()) {
            return;
        }
        f.newAddress =
                client.address() != null
                        && !tx.securityEvents().seen(user, "package.published", client.address());
        String product = client.product();
        f.newClient =
                product != null
                        && !tx.securityEvents().seenClient(user, "package.published", product);
    }

    /** Files of {@code tarball} whose content the previous release did not have. */
    private List<String> newFiles(byte[] tarball, byte[] previousTarball) {
        Map<String, String> now = FileDigests.of(tarball, setup.limits()).byPath();
        Map<String, String> before =
                previousTarball == null
                        ? Map.of()
                        : FileDigests.of(previousTarball, setup.limits()).byPath();
        TreeSet<String> fresh = new TreeSet<>();
        now.forEach(
                (path, sha) -> {
                    // package.json differs in every release: its version
                    if (!path.equals("package.json") && !sha.equals(before.get(path))) {
                        fresh.add(sha);
                    }
                });
        fresh.removeAll(before.values()); // a file moved, not new
        return List.copyOf(fresh);
    }

    private byte[] blob(String key) throws IOException {
        Optional<BlobStore.Blob> b = blobs.get(key);
        if (b.isEmpty()) {
            throw new IOException("the previous release's tarball " + key + " is missing");
        }
        try (InputStream in = b.get().open()) {
            return in.readAllBytes();
        }
    }

    private JsonNode read(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
