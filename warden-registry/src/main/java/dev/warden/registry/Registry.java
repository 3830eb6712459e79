package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.awareness.Advisories;
import dev.warden.awareness.Training;
import dev.warden.common.Problem;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.PackageGovernance;
import dev.warden.governance.Succession;
import dev.warden.provenance.TrustedPublishing;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.PackageMfa;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.TrustedPublishers.TrustRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The npm registry's behaviour, independent of HTTP: publish, packuments, tarballs, dist-tags,
 * deprecation, owners, access, stars, unpublish and search.
 *
 * <p>Every change runs in one metadata transaction that also rebuilds the package's packument and
 * search document, so readers see either the whole change or none of it. Tarball bytes are made
 * durable in the blob store before that transaction starts.
 *
 * <p>This class is the one entry point of the HTTP layer to the classes that each own one part
 * ({@link RegistryParts} builds and connects them): {@link PublishFlow} (publishes), {@link Reads},
 * {@link DistTags}, {@link DocumentUpdates} (stars, owners, deprecations, version removals), {@link
 * Unpublishing}, {@link Access}, {@link PublisherTrust}, {@link PackageSearch}; {@link Authority}
 * and {@link Visibility} decide who may act and who may see. Changes that governance approved do
 * not come through here: {@link GovernanceLink} applies them through the parts.
 */
public final class Registry {

    /**
     * The outcome of a publish: live, or (for a governed package) held as a stage for approval.
     *
     * @param stageId null when the version went live
     * @param notice what the client is told about the stage (the {@code npm-notice} header), or
     *     null
     */
    public record Published(
            String name,
            String version,
            String integrity,
            ObjectNode differences,
            List<Long> logIndexes,
            String stageId,
            String notice) {
        public Published(
                String name,
                String version,
                String integrity,
                ObjectNode differences,
                List<Long> logIndexes) {
            this(name, version, integrity, differences, logIndexes, null, null);
        }
    }

    /** Where a tarball's bytes are. */
    public record TarballRef(
            String name, String version, String blobKey, long size, String integrity) {}

    /** Account-level checks the registry asks before publishing or changing maintainers. */
    @FunctionalInterface
    public interface SensitiveGuard {
        /** Throws a {@link Problem} when {@code user} may not make sensitive changes now. */
        void check(String user);
    }

    /**
     * Told of every committed change that an account's history (and later the transparency log)
     * records. Called after the commit, on the request's thread.
     */
    public interface Listener {
        void changed(Committed change);
    }

    /**
     * A committed change: what happened to which package, by whom.
     *
     * @param inHistory whether the account's security history already has it (written in the
     *     change's own transaction)
     */
    public record Committed(
            String kind,
            String user,
            String pkg,
            java.util.Map<String, Object> detail,
            boolean inHistory) {}

    /**
     * Signs a version as npm's clients check it: answers {@code {keyid, sig}} over {@code
     * <name>@<version>:<integrity>}.
     */
    public interface VersionSigner {
        Map<String, String> sign(String message);
    }

    /** The parts that own the registry's reads and changes (see {@link RegistryParts}). */
    private final RegistryParts parts;

    /** A registry connected to nothing (tests and tools): see {@link Wiring#none()}. */
    public Registry(
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            RegistrySettings settings,
            Clock clock) {
        this(store, blobs, json, settings, clock, Wiring.none());
    }

    public Registry(
            MetadataStore store,
            BlobStore blobs,
            ObjectMapper json,
            RegistrySettings settings,
            Clock clock,
            Wiring wiring) {
        this.parts = new RegistryParts(this, store, blobs, json, settings, clock, wiring);
    }

    /** What malware reports (warden-awareness) need of the registry: its side of their port. */
    public dev.warden.awareness.ReportedPackages reportedPackages() {
        return parts.reported;
    }

    /**
     * What opens the log's commitments of a restricted package, for its readers: the package's key
     * and every statement with its log index ({@code GET /-/package/<pkg>/log}); a reader of a
     * public package gets its statements and no key, as they are logged whole.
     */
    public ObjectNode logStatements(String pkg, Principal reader) {
        return parts.reads.logStatements(pkg, reader);
    }

    /**
     * Logs changes that committed but were not logged (after a crash or a failing log); returns how
     * many.
     */
    public int logPendingEvents() {
        return parts.outbox.logPendingEvents();
    }

    /** The upstream proxy's statements, through this registry's outbox and log. */
    public ProxyStatements proxyStatements() {
        return new ProxyStatements(parts.outbox);
    }

    private final NewNames newNames = new NewNames();

    /** Who is told of names new to this registry (the upstream proxy). */
    public NewNames newNames() {
        return newNames;
    }

    /** Tells the listeners of a committed change (after its commit). */
    void emit(String kind, String user, String pkg, Map<String, Object> detail) {
        parts.listeners.emit(kind, user, pkg, detail);
    }

    /**
     * As {@link #emit(String, String, String, Map)} for a change whose transaction wrote its
     * account history row itself.
     */
    void emitRecorded(String kind, String user, String pkg, Map<String, Object> detail) {
        parts.listeners.emitRecorded(kind, user, pkg, detail);
    }

    /**
     * npm's attestations of a live version (its SLSA provenance and the registry's publish
     * attestation), if it has provenance.
     */
    public Optional<ObjectNode> attestations(String name, String version, Principal reader) {
        parts.visibility.requireReadable(name, reader);
        return parts.provenance.attestations(name, version);
    }

    /** The verified build facts of a version published with parts.provenance. */
    public Optional<JsonNode> provenanceOf(String name, String version) {
        return parts.provenance.facts(name, version);
    }

    String publicUrl() {
        return parts.settings.publicUrl();
    }

    /**
     * Forgets what memory holds of package {@code name} (its packuments, its versions' tarball
     * locations, its access): another node changed it. The next read loads it from the store.
     */
    public void forget(String name) {
        parts.docs.forget(name);
    }

    /**
     * Forgets what memory holds of every package: changes from other nodes may have been missed.
     */
    public void forgetEverything() {
        parts.docs.forgetEverything();
    }

    public DownloadCounter downloads() {
        return parts.downloads;
    }

    Instant now() {
        return parts.writes.now();
    }

    // ---------------------------------------------------------------- reads

    /**
     * The precomputed documents of a live package the principal may read; a package whose only
     * release is quarantined is refused with why and where to appeal (403).
     */
    public Optional<PackumentRecord> packument(String name, Principal reader) {
        Optional<PackumentRecord> doc = parts.reads.packument(name, reader);
        if (doc.isEmpty()) {
            parts.quarantines.refuseIfOnlyQuarantined(name, reader);
        }
        return doc;
    }

    /** Whether only maintainers may read the package. */
    public boolean isRestricted(String name) {
        return parts.visibility.restricted(name);
    }

    /**
     * The documents of a public package if they are in memory, else null. Never blocks, never
     * touches storage: for answering anonymous reads on an I/O thread.
     */
    public PackumentRecord cachedPublicPackument(String name) {
        return parts.docs.cachedPublic(name);
    }

    /**
     * Like {@link #tarball} for an anonymous reader, but only from memory (null when unknown); the
     * caller counts the download.
     */
    public TarballRef cachedPublicTarball(String name, String version) {
        return parts.docs.cachedPublicTarball(name, version);
    }

    /** Rebuilds the documents of every live package (after a change of public URL or format). */
    public int rebuildAll() {
        return parts.docs.rebuildAll();
    }

    /** Counts a tarball download answered from memory. */
    public void countDownload(String name) {
        parts.downloads.count(name);
    }

    /** One version's document, or the version a dist-tag points to. */
    public Optional<ObjectNode> version(String name, String versionOrTag, Principal reader) {
        Optional<ObjectNode> v = parts.reads.version(name, versionOrTag, reader);
        if (v.isEmpty()) {
            parts.quarantines.refuseIfQuarantined(name, versionOrTag, reader);
        }
        return v;
    }

    /** Where the uploaded manifest of a version disagreed with its tarball (JSON), if it did. */
    public Optional<String> differences(String name, String version) {
        return parts.reads.differences(name, version);
    }

    /**
     * The version a tarball file name ({@code bare-1.2.3.tgz}) of {@code name} stands for, or null.
     */
    public static String versionOfTarball(String name, String file) {
        return Reads.versionOfTarball(name, file);
    }

    /**
     * The release review kept with a stage (action, policy, findings with their evidence), for its
     * package's maintainers and its stager; empty for anyone else or a stage not reviewed.
     */
    public Optional<ObjectNode> stageReview(String stageId, Principal reader) {
        return parts.quarantines.ofStage(stageId, reader);
    }

    /**
     * Locates the tarball {@code file} of {@code name} and counts the download; a quarantined
     * version is refused with the reasons (403).
     */
    public Optional<TarballRef> tarball(String name, String file, Principal reader) {
        Optional<TarballRef> ref = parts.reads.tarball(name, file, reader);
        if (ref.isEmpty()) {
            parts.quarantines.refuseIfQuarantined(name, Reads.versionOfTarball(name, file), reader);
        }
        return ref;
    }

    /**
     * The tarball of {@code name}@{@code version} when it is live and {@code reader} may read it,
     * counting no download: for the pages that show what is inside a release.
     */
    public Optional<TarballRef> releasedTarball(String name, String version, Principal reader) {
        return parts.reads.released(name, version, reader);
    }

    public Optional<BlobStore.Blob> blob(TarballRef ref) {
        return parts.reads.blob(ref);
    }

    public List<Map.Entry<String, String>> maintainers(String name, Principal reader) {
        return parts.reads.maintainers(name, reader);
    }

    /**
     * Packages a user maintains, or the packages in a scope ({@code @scope}), with the access the
     * caller sees.
     */
    public Map<String, String> packagesOf(String userOrScope, Principal reader) {
        return parts.reads.packagesOf(userOrScope, reader);
    }

    /** The packages {@code user} starred that {@code reader} may see. */
    public List<String> starredBy(String user, Principal reader) {
        return parts.reads.starredBy(user, reader);
    }

    /** Search results as npm's {@code /-/v1/search} returns them. */
    public ObjectNode search(String text, int size, int from, Principal reader) {
        return parts.search.search(text, size, from, reader);
    }

    // ---------------------------------------------------------------- publish

    /**
     * Publishes the single version in an npm publish document ({@code PUT /:pkg}), or stages it
     * when governance says so (see {@link PublishFlow}).
     *
     * @param urlName the package name from the request path
     * @param proof the request's second factor, asked for when the package's rules want one
     */
    public Published publish(
            String urlName, ObjectNode body, Principal principal, SecondFactor proof) {
        return publish(urlName, body, principal, proof, PublishClient.UNKNOWN);
    }

    /**
     * As {@link #publish(String, ObjectNode, Principal, SecondFactor)}, from {@code client} (its
     * address and user agent are facts for the release review).
     */
    public Published publish(
            String urlName,
            ObjectNode body,
            Principal principal,
            SecondFactor proof,
            PublishClient client) {
        return parts.publishes.publish(urlName, body, principal, proof, false, client);
    }

    /**
     * As {@link #publish(String, ObjectNode, Principal, SecondFactor)} for a caller that cannot
     * give a second factor: a rule that asks one refuses.
     */
    public Published publish(String urlName, ObjectNode body, Principal principal) {
        return publish(
                urlName,
                body,
                principal,
                () -> {
                    throw Problem.forbidden(
                            "a second factor is required to change " + Problem.clip(urlName));
                });
    }

    /**
     * {@code npm stage publish}: checked as a publish is and held for approval; no second factor
     * now, the approvals take it.
     */
    public Published stage(String urlName, ObjectNode body, Principal principal) {
        return stage(urlName, body, principal, PublishClient.UNKNOWN);
    }

    /** As {@link #stage(String, ObjectNode, Principal)}, from {@code client}. */
    public Published stage(
            String urlName, ObjectNode body, Principal principal, PublishClient client) {
        return parts.publishes.publish(urlName, body, principal, SecondFactor.NONE, true, client);
    }

    /**
     * The rules of package {@code name} for a change by {@code principal} beyond its credential: a
     * restricted package they may not read answers as missing; its two-factor rules ask {@code
     * proof} when they apply (see {@link PackageRules}).
     */
    public void authorize(String name, Principal principal, SecondFactor proof) {
        refuseUnlessReadable(name, principal, false);
        parts.rules.authorize(name, principal, proof);
    }

    // ---------------------------------------------------------------- dist-tags

    public Map<String, String> distTags(String name, Principal reader) {
        return parts.tags.of(name, reader);
    }

    /**
     * Points {@code tag} at {@code version}; answers the log indexes of the change (none when
     * nothing changed).
     */
    public List<Long> setDistTag(String name, String tag, String version, Principal principal) {
        return parts.tags.set(name, tag, version, principal, false);
    }

    public List<Long> removeDistTag(String name, String tag, Principal principal) {
        return parts.tags.remove(name, tag, principal);
    }

    // ---------------------------------------------------------------- document updates

    /**
     * The outcome of a document update: its log indexes, and what the client is told about changes
     * held for approval (governed packages).
     */
    public record Updated(List<Long> logIndexes, List<String> notices) {}

    /**
     * Applies a modified packument sent back by the client ({@code PUT /:pkg/-rev/:rev}), as npm
     * does for deprecate, owner, star and version unpublish: the differences from the stored
     * document are read as those operations, each with its own permission check.
     */
    public Updated updateDocument(String name, String rev, ObjectNode body, Principal principal) {
        return parts.documents.updateDocument(name, rev, body, principal, false);
    }

    /**
     * Whether a document update only stars or unstars ({@code {_id, _rev, users}}, as npm star
     * sends it).
     */
    public static boolean isStarOnly(ObjectNode body) {
        return DocumentUpdates.isStarOnly(body);
    }

    // ---------------------------------------------------------------- unpublish

    /** {@code DELETE /:pkg/-rev/:rev}: unpublishes every version. */
    public List<Long> unpublishPackage(String name, String rev, Principal principal) {
        return parts.unpublishing.unpublishPackage(name, rev, principal, false);
    }

    /**
     * {@code DELETE /:pkg/-/:file/-rev/:rev}: the tarball of a version already unpublished by the
     * document update.
     */
    public void deleteTarball(String name, String file, String rev, Principal principal) {
        parts.unpublishing.deleteTarball(name, file, rev, principal);
    }

    // ---------------------------------------------------------------- access

    public String visibility(String name, Principal reader) {
        return parts.access.visibility(name, reader);
    }

    public void setAccess(String name, String access, Principal principal) {
        parts.access.setAccess(name, access, principal, false);
    }

    /**
     * The package's two-factor rule for publishing ({@code npm access set mfa=...}); none means no
     * rule.
     */
    public Optional<PackageMfa.Policy> mfaPolicy(String name) {
        return parts.access.mfaPolicy(name);
    }

    /**
     * {@code npm access set mfa=...}: changing a two-factor rule takes a second factor when the
     * rule is or becomes one that asks it, and no token may bypass that.
     */
    public void setMfaPolicy(
            String name,
            boolean publishRequiresTfa,
            boolean automationOverrides,
            Principal principal,
            SecondFactor proof) {
        parts.access.setMfaPolicy(name, publishRequiresTfa, automationOverrides, principal, proof);
    }

    /** Sets the two-factor rule; the trusted-publishing rule stays as it is. */
    public void setMfaPolicy(
            String name,
            boolean publishRequiresTfa,
            boolean automationOverrides,
            Principal principal) {
        parts.access.setMfaPolicy(name, publishRequiresTfa, automationOverrides, principal, false);
    }

    // ---------------------------------------------------------------- trusted publishers

    /** A package's trusted publishers, for its maintainers ({@code npm trust list}). */
    public List<TrustRecord> trustedPublishers(String name, Principal principal) {
        return parts.trust.list(name, principal);
    }

    /** The trusted publishers an ID token may match (for the token exchange; no caller yet). */
    public List<TrustRecord> trustedPublishersOf(String name) {
        return parts.trust.of(name);
    }

    /**
     * Adds a trusted publisher ({@code npm trust github|gitlab|circleci}). A package has at most
     * one, as on npmjs: to change it, revoke it first.
     */
    public Changed<TrustRecord> addTrustedPublisher(
            String name, TrustedPublishing.Config config, Principal principal) {
        return parts.trust.add(name, config, principal, false);
    }

    /**
     * Removes a trusted publisher ({@code npm trust revoke}); tokens already issued to it stop
     * working at once.
     */
    public List<Long> removeTrustedPublisher(String name, String id, Principal principal) {
        return parts.trust.remove(name, id, principal, false);
    }

    /** Turns on or off the rule that only a trusted publisher may publish {@code name}. */
    public List<Long> requireTrustedPublisher(String name, boolean required, Principal principal) {
        return parts.trust.require(name, required, principal, false);
    }

    // ---------------------------------------------------------------- governance

    /** Changes to organizations' members, roles, teams and grants (see {@link OrgChanges}). */
    public OrgChanges organizations() {
        return parts.organizations();
    }

    /** Security exercises and their completion per maintainer. */
    public Training training() {
        return parts.training;
    }

    /** Governance policies and staged releases. */
    public PackageGovernance governance() {
        return parts.governance;
    }

    /** What maintainer security awareness needs to know about packages (its port). */
    public dev.warden.awareness.MaintainedPackages awarenessFacts() {
        return parts.awareness;
    }

    /** Private security advisories: drafts, invitations, publishing as OSV records. */
    public Advisories advisories() {
        return parts.advisories;
    }

    /**
     * Adopts {@code next} as {@code pkg}'s governance policy (see {@link
     * PackageGovernance#setPolicy}) once its review thresholds are checked: none may be laxer than
     * the registry's default policy (400 naming the registry's value).
     */
    public List<Long> setPolicy(String pkg, GovernancePolicy next, Principal principal) {
        PackageReviewPolicy.requireNotLaxer(parts.reviewFloor, next.review());
        return parts.governance.setPolicy(pkg, next, principal);
    }

    /** Successors, notices and claims. */
    public Succession succession() {
        return parts.governance.succession();
    }

    /** A change's result and the log indexes of its statements. */
    public record Changed<T>(T value, List<Long> logIndexes) {}

    // ---------------------------------------------------------------- who may see

    /**
     * A 404, as for a package that does not exist, unless {@code name} is live and {@code reader}
     * may read it.
     */
    void requireReadable(String name, Principal reader) {
        parts.visibility.requireReadable(name, reader);
    }

    /**
     * Refuses a change to a restricted package that {@code principal} may not read exactly as the
     * same change to a name that does not exist: a 404, or for a publish, first whatever the
     * scope's rule says to this caller.
     */
    public void refuseUnlessReadable(String name, Principal principal, boolean publishing) {
        parts.visibility.refuseUnlessReadable(name, principal, publishing);
    }

    /** Whether {@code name} is live and {@code reader} (null: anyone) may read it. */
    public boolean readable(String name, Principal reader) {
        return parts.visibility.readable(name, reader);
    }
}
