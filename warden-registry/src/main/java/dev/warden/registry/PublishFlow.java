package dev.warden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.Actor;
import dev.warden.governance.Change;
import dev.warden.governance.Decision;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.PackageGovernance;
import dev.warden.governance.Rules;
import dev.warden.governance.Signal;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.Provenances.ProvenanceRecord;
import dev.warden.storage.TrustedPublishers.TrustRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A publish, top to bottom. {@link #publish} is the whole path of {@code npm publish} (and of
 * {@code npm stage publish}) after the HTTP layer has parsed the request:
 *
 * <ol>
 *   <li>authenticate: the caller resolved the principal from the request's credential;
 *   <li>authorize: the credential's package limits, the package's visibility, its rules (two-factor
 *       authentication, npm's package 2FA rule), the account's pause after a sensitive change, and
 *       who may publish this name (maintainers, the scope's holder, the package's trusted
 *       publisher);
 *   <li>inspect: the document's shape, the tarball's digests against the manifest, the tarball
 *       itself, and the manifest as it will be served;
 *   <li>verify provenance: the Sigstore bundle, if sent, completely and offline; the package's
 *       provenance line;
 *   <li>review: what the registry notices about the release, mapped to allow, flag, hold or
 *       quarantine by the review policy ({@link ReleaseReview});
 *   <li>decide: governance's decision ({@link Rules#decide}): live, staged or held.
 * </ol>
 *
 * The tarball's bytes are made durable next; a release that waits goes to {@link PackageGovernance}
 * as a stage with the {@link Release} it will go live as, and one that goes live (now, or once
 * approved: {@link #goLive}) continues:
 *
 * <ol start="7">
 *   <li>registry signature (and the publish attestation when it has provenance);
 *   <li>commit: one write transaction (package, version, tags, dependencies, provenance, the log
 *       statement in the outbox);
 *   <li>log append, after which the packument is rendered once, with the entry's index;
 *   <li>notify: the account's security history (through the registry's listeners).
 * </ol>
 */
final class PublishFlow {

    private static final Logger LOG = LoggerFactory.getLogger(PublishFlow.class);

    private final Registry registry;
    private final MetadataStore store;
    private final BlobStore blobs;
    private final ObjectMapper json;
    private final RegistrySettings settings;
    private final TarballInspector inspector;
    private final ManifestReconciler reconciler;
    private final ProvenanceCheck provenance;
    private final PackageGovernance governance;
    private final PackageRules rules;
    private final Outbox outbox;
    private final Packuments docs;
    private final Registry.SensitiveGuard guard;
    private final Registry.VersionSigner signer;
    private final ReleaseReview review;
    private final PublishPermission permission;
    private final VersionRows rows;
    private final Clock clock;

    PublishFlow(
            Registry registry,
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            RegistrySettings settings,
            TarballInspector inspector,
            ManifestReconciler reconciler,
            ProvenanceCheck provenance,
            PackageGovernance governance,
            Outbox outbox,
            Packuments docs,
            Registry.SensitiveGuard guard,
            Registry.VersionSigner signer,
            ReviewSetup reviewSetup,
            Clock clock) {
        this.registry = registry;
        this.store = store;
        this.blobs = blobs;
        this.json = json;
        this.settings = settings;
        this.inspector = inspector;
        this.reconciler = reconciler;
        this.provenance = provenance;
        this.governance = governance;
        this.rules = new PackageRules(store, governance);
        this.outbox = outbox;
        this.docs = docs;
        this.guard = guard;
        this.signer = signer;
        LookalikeNames names = new LookalikeNames(settings.names());
        this.permission = new PublishPermission(settings, names);
        this.rows = new VersionRows(json);
        this.review = new ReleaseReview(store, blobs, json, clock, reviewSetup, docs, names);
        this.clock = clock;
    }

    /**
     * What the decision and the stage need to know of the package, read in one transaction with the
     * permission checks.
     */
    private record Standing(
            GovernancePolicy policy,
            Optional<ProvenanceRecord> lastProvenance,
            Optional<TrustRecord> trustedPublisher,
            boolean highImpact,
            boolean newName) {}

    /**
     * Publishes the single version of an npm publish document, or stages it.
     *
     * @param urlName the package name from the request path
     * @param proof the request's second factor, asked for when a package rule wants one
     * @param explicitStage whether the client asked to stage it ({@code npm stage publish}: no
     *     second factor now, approvals take it)
     * @param client the client's address and user agent, for the review
     */
    Registry.Published publish(
            String urlName,
            ObjectNode body,
            Principal principal,
            SecondFactor proof,
            boolean explicitStage,
            PublishClient client) {
        // 2. authorize: what can be refused without the body's bytes
        Authority.requireWriter(principal, urlName);
        if (principal.publisher() == null) {
            registry.refuseUnlessReadable(urlName, principal, true);
            if (!explicitStage) {
                rules.authorize(urlName, principal, proof);
            }
            guard.check(principal.user());
        }
        PublishDocument doc = PublishDocument.read(urlName, body);
        PackageName name = doc.name();
        Instant now = now();
        Standing standing =
                store.read(
                        tx -> {
                            permission.check(tx, name, doc.version(), principal, now, true);
                            return new Standing(
                                    governance.policy(tx, name.full()),
                                    tx.provenances().latestLive(name.full()),
                                    tx.trustedPublishers().of(name.full()).stream().findFirst(),
                                    governance.impact(tx, name.full()).highImpact(),
                                    tx.packages().find(name.full()).isEmpty());
                        });
        if (standing.newName()) {
            // outside the transaction: the check may ask an uplink over the network
            registry.newNames().check(name.full());
        }

        // 3. inspect
        TarballInspector.Facts facts = inspector.inspect(doc.tarball());
        String tarName = facts.packageJson().path("name").asText(null);
        String tarVersion = facts.packageJson().path("version").asText(null);
        if (!name.full().equals(tarName) || !doc.version().equals(tarVersion)) {
            throw Problem.badRequest(
                    "package.json in the tarball says "
                            + Problem.clip(String.valueOf(tarName))
                            + "@"
                            + Problem.clip(String.valueOf(tarVersion))
                            + ", but the publish is for "
                            + name
                            + "@"
                            + doc.version());
        }

        // 4. verify provenance: when sent, it must verify completely before anything is stored
        ProvenanceCheck.Checked checked =
                provenance.check(
                        body,
                        name,
                        doc.version(),
                        doc.tarball(),
                        facts.packageJson(),
                        standing.trustedPublisher());
        String provenanceBreak =
                ProvenanceCheck.continuity(standing.lastProvenance(), name, checked, json);
        Release release = release(doc, facts, checked);

        // 5. review: nothing in the credential (bypass_2fa, automation) skips it
        ReviewVerdict verdict =
                review.examine(
                        release,
                        doc.tarball(),
                        facts.packageJson(),
                        principal,
                        client,
                        standing.policy(),
                        standing.highImpact(),
                        now);
        release = release.withReview(verdict);

        // 6. decide
        List<Signal> signals = ReleaseReview.signals(verdict);
        Actor actor = new Actor(true, principal.publisher() != null, false);
        Decision decision =
                Rules.decide(
                        new Rules.Facts(
                                standing.policy(),
                                actor,
                                new Change.Release(doc.version(), explicitStage, provenanceBreak),
                                signals));

        // The tarball is written and forced while the signature and the transaction's statements
        // run; the commit waits for it, so a crash leaves at most an unreferenced blob, never a
        // version without its bytes.
        CompletableFuture<Void> stored = storeTarball(release.blobKey(), doc.tarball());
        if (!(decision instanceof Decision.Live)) {
            awaitStored(stored); // a stage keeps the tarball's key
        }
        Registry.Published published =
                switch (decision) {
                    case Decision.Live live -> goLive(release, principal, false, stored, client);
                    case Decision.Staged staged ->
                            StagedReleases.stage(
                                    governance,
                                    json,
                                    release,
                                    body,
                                    principal,
                                    standing.policy(),
                                    staged.approvals(),
                                    staged.selfApproval(),
                                    staged.coolOffHours(),
                                    explicitStage,
                                    null,
                                    settings.publicUrl());
                    case Decision.Held held ->
                            StagedReleases.stage(
                                    governance,
                                    json,
                                    release,
                                    body,
                                    principal,
                                    standing.policy(),
                                    held.approvals(),
                                    held.selfApproval(),
                                    held.coolOffHours(),
                                    explicitStage,
                                    held.reason(),
                                    settings.publicUrl());
                };
        review.tell(registry, release, principal, published);
        return published;
    }

    private CompletableFuture<Void> storeTarball(String key, byte[] tarball) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        blobs.put(key, tarball);
                    } catch (IOException e) {
                        throw new UncheckedIOException("storing tarball", e);
                    }
                },
                task -> Thread.ofVirtual().name("tarball-store").start(task));
    }

    private static void awaitStored(CompletableFuture<Void> stored) {
        try {
            stored.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The release a checked document and its inspected tarball make: the manifest as served,
     * without what the registry vouches for.
     */
    private Release release(
            PublishDocument doc, TarballInspector.Facts facts, ProvenanceCheck.Checked checked) {
        ManifestReconciler.Result reconciled =
                reconciler.reconcile(doc.manifest(), facts, doc.name());
        ObjectNode served = reconciled.manifest();
        served.put("_id", doc.name() + "@" + doc.version());
        served.remove("_attachments");
        served.remove("dist");
        // What the registry vouches for is the registry's to write, never the publisher's.
        served.remove("_signatures");
        served.remove("_log");
        served.remove("_attestations");
        if (checked != null) {
            served.putObject("_attestations").put("predicateType", checked.facts().predicateType());
        }
        served.put("_hasShrinkwrap", facts.hasShrinkwrap());
        served.remove("gitHead");
        Release.Provenance prov =
                checked == null
                        ? null
                        : new Release.Provenance(
                                checked.facts().predicateType(),
                                checked.bundle(),
                                json.valueToTree(ProvenanceCheck.summary(checked.facts())));
        return new Release(
                doc.name(),
                doc.version(),
                served,
                doc.integrity(),
                doc.shasum(),
                doc.blobKey(),
                doc.tarball().length,
                facts.fileCount(),
                facts.unpackedSize(),
                reconciled.differences(),
                doc.tags(),
                doc.access(),
                prov,
                null);
    }

    /**
     * The release a stage made before stages kept their releases goes live as: its publish document
     * inspected once more, as it was when it was staged.
     */
    Release releaseOfLegacyStage(ObjectNode body, String pkg) {
        PublishDocument doc = PublishDocument.read(pkg, body);
        TarballInspector.Facts facts = inspector.inspect(doc.tarball());
        Optional<TrustRecord> trusted =
                store.read(tx -> tx.trustedPublishers().of(pkg).stream().findFirst());
        return release(
                doc,
                facts,
                provenance.check(
                        body,
                        doc.name(),
                        doc.version(),
                        doc.tarball(),
                        facts.packageJson(),
                        trusted));
    }

    /**
     * Makes a release live: the registry's signature, one write transaction, the log append and the
     * packument rendered once, then the account's history.
     *
     * @param approved whether maintainers approved it as a stage (then a stage-only trusted
     *     publisher's release may go live)
     */
    Registry.Published goLive(Release r, Principal principal, boolean approved) {
        String full = r.name().full();
        if (store.read(tx -> tx.packages().find(full).isEmpty())) {
            // a staged first release: an uplink may have the name by now (checked again outside
            // the transaction, as at the stage)
            registry.newNames().check(full);
        }
        return goLive(
                r,
                principal,
                approved,
                CompletableFuture.completedFuture(null),
                PublishClient.UNKNOWN);
    }

    private Registry.Published goLive(
            Release r,
            Principal principal,
            boolean approved,
            CompletableFuture<Void> stored,
            PublishClient client) {
        PackageName name = r.name();
        String version = r.version();
        // 7. registry signature
        ObjectNode served = r.served().deepCopy();
        if (signer != null) {
            Map<String, String> sig =
                    signer.sign(name.full() + "@" + version + ":" + r.integrity());
            served.putArray("_signatures")
                    .addObject()
                    .put("keyid", sig.get("keyid"))
                    .put("sig", sig.get("sig"));
        }
        Instant now = now();
        var provenanceRecord = r.provenance() == null ? null : provenance.record(r, now);

        // 8. commit: one write transaction
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        // With a log, the packument is rendered once, after the append, with the entry's index in
        // it.
        boolean deferRender = outbox.logs();
        boolean[] created = {false};
        PackumentRecord rendered =
                store.write(
                        tx -> {
                            Optional<PackageRecord> existing =
                                    permission.check(tx, name, version, principal, now, approved);
                            created[0] = existing.isEmpty();
                            Map<String, Object> detail =
                                    rows.write(tx, r, served, principal, now, existing);
                            if (provenanceRecord != null) {
                                tx.provenances().put(provenanceRecord);
                                detail.put("provenance", r.provenance().summary());
                            }
                            ReleaseReview.commit(tx, r, detail, now);
                            outbox.record(
                                    tx,
                                    events,
                                    "package.published",
                                    name.full(),
                                    version,
                                    principal.user(),
                                    now,
                                    detail);
                            if (principal.publisher() == null) {
                                // the account's security history is part of the commit, not a
                                // second write
                                tx.securityEvents()
                                        .append(
                                                principal.user(),
                                                "package.published",
                                                now,
                                                client.address(),
                                                write(
                                                        json.valueToTree(
                                                                history(
                                                                        name, version, r,
                                                                        client))));
                            }
                            awaitStored(stored); // the commit follows its bytes to disk
                            return deferRender ? null : docs.rebuild(tx, name.full());
                        });

        // 9. log append, 10. the packument rendered once (with the entry's index, when there is a
        // log)
        List<Long> logIndexes = outbox.log(events, deferRender ? Set.of(name.full()) : Set.of());
        if (deferRender) {
            docs.forgetTarball(
                    name.full(), version); // the log's render installed the new packument
        } else {
            docs.install(name.full(), rendered, List.of(version));
        }

        // 11. notify
        if (created[0]) {
            registry.newNames().created(name.full());
        }
        if (r.differences() != null) {
            LOG.warn("manifest confusion in {}@{}: {}", name, version, r.differences());
        }
        LOG.info("published {}@{} by {}", name, version, principal.user());
        if (principal.publisher() == null) {
            // an account's history; a trusted publisher's publish is in the transparency log and
            // the packument
            registry.emitRecorded(
                    "package.published",
                    principal.user(),
                    name.full(),
                    history(name, version, r, client));
        }
        return new Registry.Published(
                name.full(), version, r.integrity(), r.differences(), logIndexes);
    }

    /** What the account's history says of a publish. */
    private static Map<String, Object> history(
            PackageName name, String version, Release r, PublishClient client) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("integrity", r.integrity());
        m.put("package", name.full());
        if (client.product() != null) {
            m.put("client", client.product()); // the review compares later publishes with it
        }
        return m;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private ObjectNode readObject(String text) {
        try {
            return (ObjectNode) json.readTree(text);
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
