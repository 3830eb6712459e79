package dev.warden.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.awareness.Advisories;
import dev.warden.awareness.Training;
import dev.warden.governance.PackageGovernance;
import dev.warden.review.ReviewPolicy;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;

import java.time.Clock;

/**
 * The parts of the registry, each owning one kind of read or change, built and connected once:
 * {@link Registry} is the HTTP layer's entry to them, {@link GovernanceLink} carries out what
 * governance approved through them (with {@code approved}, so it is not held again).
 */
final class RegistryParts {

    final RegistrySettings settings;
    final TarballInspector inspector;
    final ManifestReconciler reconciler;
    final Packuments docs;
    final DownloadCounter downloads;
    final Listeners listeners;
    final PackageWrites writes;
    final Visibility visibility;
    final PackageGovernance governance;
    final ProvenanceCheck provenance;
    final Outbox outbox;
    final OrgChanges orgChanges;
    final PublishFlow publishes;
    final PackageRules rules;
    final Reads reads;
    final DistTags tags;
    final Unpublishing unpublishing;
    final DocumentUpdates documents;
    final Access access;
    final PublisherTrust trust;
    final PackageSearch search;
    final Quarantines quarantines;
    final ReportsLink reported;
    final Training training;
    final AwarenessPackages awareness;
    final Advisories advisories;

    /** The registry's default review policy: a package's own thresholds may not be laxer. */
    final ReviewPolicy reviewFloor;

    RegistryParts(
            Registry registry,
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            RegistrySettings settings,
            Clock clock,
            Wiring wiring) {
        this.settings = settings;
        this.listeners = new Listeners(wiring.listeners());
        this.inspector = new TarballInspector(settings.tarballLimits(), json);
        this.reconciler = new ManifestReconciler(json);
        this.docs = new Packuments(store, json, settings);
        this.downloads = new DownloadCounter(store, clock);
        this.writes = new PackageWrites(store, docs, clock);
        this.visibility = new Visibility(store, docs);
        this.outbox =
                new Outbox(store, json, settings, docs, wiring.attestor(), wiring.commitments());
        GovernanceLink link = new GovernanceLink(this, outbox, blobs, json);
        TrainingLink trainingLink = new TrainingLink(clock, settings.publicUrl());
        this.training = new Training(store, clock, trainingLink);
        trainingLink.training(training);
        this.governance =
                new PackageGovernance(
                        store,
                        blobs,
                        json,
                        clock,
                        wiring.governance(),
                        link,
                        link,
                        link,
                        trainingLink);
        this.provenance =
                new ProvenanceCheck(
                        store,
                        json,
                        clock,
                        wiring.trust(),
                        wiring.issuerOfType(),
                        wiring.signer(),
                        settings.publicUrl());
        this.orgChanges =
                wiring.orgs() == null
                        ? null
                        : new OrgChanges(registry, outbox, store, wiring.orgs(), json);
        this.publishes =
                new PublishFlow(
                        registry,
                        store,
                        blobs,
                        json,
                        settings,
                        inspector,
                        reconciler,
                        provenance,
                        governance,
                        outbox,
                        docs,
                        wiring.guard(),
                        wiring.signer(),
                        wiring.review(),
                        clock);
        this.rules = new PackageRules(store, governance);
        this.reads = new Reads(store, blobs, json, docs, downloads, outbox, visibility);
        this.tags = new DistTags(store, outbox, governance, writes, visibility);
        this.unpublishing =
                new Unpublishing(
                        store,
                        settings,
                        docs,
                        downloads,
                        outbox,
                        governance,
                        visibility,
                        writes,
                        listeners);
        this.documents =
                new DocumentUpdates(
                        store,
                        json,
                        docs,
                        outbox,
                        governance,
                        wiring.guard(),
                        visibility,
                        writes,
                        unpublishing,
                        listeners);
        this.access = new Access(store, docs, governance, rules, visibility, writes);
        this.trust = new PublisherTrust(store, json, outbox, governance, writes, listeners);
        this.search = new PackageSearch(store, json, clock, visibility);
        this.quarantines = new Quarantines(store, json, visibility, settings.publicUrl());
        this.reported = new ReportsLink(registry, outbox, docs);
        this.awareness = new AwarenessPackages(store, json, governance);
        this.reviewFloor = wiring.review().policy();
        this.advisories = new Advisories(store, new AdvisoryLink(outbox), clock);
    }

    /** Changes to organizations (see {@link OrgChanges}), when the registry was wired with them. */
    OrgChanges organizations() {
        OrgChanges o = orgChanges;
        if (o == null) {
            throw new IllegalStateException(
                    "organizations are not governed by this registry: it was wired without them");
        }
        return o;
    }

    /**
     * The manifest a release of {@code tarball} with the uploaded {@code manifest} is served with,
     * by the same inspection and reconciliation as {@link PublishFlow}: what a stage's review
     * shows.
     */
    ObjectNode servedManifest(PackageName name, ObjectNode manifest, byte[] tarball) {
        return reconciler.reconcile(manifest, inspector.inspect(tarball), name).manifest();
    }
}
