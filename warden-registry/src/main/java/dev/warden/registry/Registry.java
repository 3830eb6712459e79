package dev.warden.registry;

import dev.warden.governance.GovernancePolicy;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.warden.accounts.Principal;
import dev.warden.common.Digests;
import dev.warden.common.Problem;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.PackageMfa;
import dev.warden.storage.TrustedPublishers.TrustRecord;
import dev.warden.provenance.TrustedPublishing;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.Users.UserRecord;
import dev.warden.storage.Versions.VersionRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import dev.warden.governance.Actor;
import dev.warden.governance.Change;
import dev.warden.governance.Decision;
import dev.warden.governance.Rules;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import dev.warden.accounts.Organizations;
import dev.warden.provenance.sigstore.TrustRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The npm registry's behaviour, independent of HTTP: publish, packuments, tarballs, dist-tags,
 * deprecation, owners, access, stars, unpublish and search.
 *
 * <p>Every change runs in one metadata transaction that also rebuilds the package's packument and
 * search document, so readers see either the whole change or none of it. Tarball bytes are made
 * durable in the blob store before that transaction starts.
 */
public final class Registry {

    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    /**
     * The outcome of a publish: live, or (for a governed package) held as a stage for approval.
     *
     * @param stageId null when the version went live
     * @param notice what the client is told about the stage (the {@code npm-notice} header), or null
     */
    public record Published(String name, String version, String integrity, ObjectNode differences, List<Long> logIndexes, String stageId,
            String notice) {
        public Published(String name, String version, String integrity, ObjectNode differences, List<Long> logIndexes) {
            this(name, version, integrity, differences, logIndexes, null, null);
        }
    }

    /** Where a tarball's bytes are. */
    public record TarballRef(String name, String version, String blobKey, long size, String integrity) {}

    private final MetadataStore store;
    private final BlobStore blobs;
    private final ObjectMapper json;
    private final RegistrySettings settings;
    private final Clock clock;
    private final TarballInspector inspector;
    private final ManifestReconciler reconciler;
    private final Packuments docs;
    private final DownloadCounter downloads;

    /** Account-level checks the registry asks before publishing or changing maintainers. */
    @FunctionalInterface
    public interface SensitiveGuard {
        /** Throws a {@link Problem} when {@code user} may not make sensitive changes now. */
        void check(String user);
    }

    private final SensitiveGuard guard;
    private final PackageGovernance governance;
    private final Succession succession;
    private final ProvenanceCheck provenance;
    private final Outbox outbox;
    private final OrgChanges orgChanges;
    private final PublishFlow publishes;
    private final PackageRules rules;
    private final List<Listener> listeners;

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
     * @param inHistory whether the account's security history already has it (written in the change's own transaction)
     */
    public record Committed(String kind, String user, String pkg, java.util.Map<String, Object> detail, boolean inHistory) {}

    /** Signs a version as npm's clients check it: answers {@code {keyid, sig}} over {@code <name>@<version>:<integrity>}. */
    public interface VersionSigner {
        Map<String, String> sign(String message);
    }

    /**
     * What the registry is connected to, given once by the composition root.
     *
     * @param guard account-level checks before publishing or changing maintainers
     * @param signer signs every version published ({@code dist.signatures}); null: unsigned
     * @param attestor where statements of changes go; null keeps them in the outbox
     * @param commitments keys of restricted packages' log commitments; null logs their statements whole
     * @param trust the roots provenance bundles verify against, read at each check (the instance's own may rotate)
     * @param issuerOfType whether a certificate issuer is a CI kind's (for matching trusted publishers)
     * @param listeners told of committed changes (security history, mail)
     * @param orgs organizations, whose changes the registry governs; null: no organizations
     */
    public record Wiring(SensitiveGuard guard, VersionSigner signer, Attestor attestor, LogCommitments commitments,
            Supplier<TrustRoot> trust, BiPredicate<String, String> issuerOfType, List<Listener> listeners, Organizations orgs) {

        public Wiring {
            listeners = List.copyOf(listeners);
        }

        /** Nothing connected: unsigned, unlogged, the public-good trust root, no organizations. */
        public static Wiring none() {
            return new Wiring(user -> {}, null, null, null, TrustRoot::publicGood, ProvenanceCheck::publicIssuer, List.of(), null);
        }

        public Wiring withGuard(SensitiveGuard guard) {
            return new Wiring(guard, signer, attestor, commitments, trust, issuerOfType, listeners, orgs);
        }

        public Wiring withSigner(VersionSigner signer) {
            return new Wiring(guard, signer, attestor, commitments, trust, issuerOfType, listeners, orgs);
        }

        public Wiring withAttestor(Attestor attestor) {
            return new Wiring(guard, signer, attestor, commitments, trust, issuerOfType, listeners, orgs);
        }

        public Wiring withCommitments(LogCommitments commitments) {
            return new Wiring(guard, signer, attestor, commitments, trust, issuerOfType, listeners, orgs);
        }

        public Wiring withTrust(Supplier<TrustRoot> trust, BiPredicate<String, String> issuerOfType) {
            return new Wiring(guard, signer, attestor, commitments, trust, issuerOfType, listeners, orgs);
        }

        public Wiring withListener(Listener listener) {
            List<Listener> all = new ArrayList<>(listeners);
            all.add(listener);
            return new Wiring(guard, signer, attestor, commitments, trust, issuerOfType, all, orgs);
        }

        public Wiring withOrganizations(Organizations orgs) {
            return new Wiring(guard, signer, attestor, commitments, trust, issuerOfType, listeners, orgs);
        }
    }

    /**
     * What opens the log's commitments of a restricted package, for its readers: the package's
     * key and every statement with its log index ({@code GET /-/package/<pkg>/log}); a reader of a
     * public package gets its statements and no key, as they are logged whole.
     */
    public ObjectNode logStatements(String pkg, Principal reader) {
        requireReadable(pkg, reader);
        ObjectNode out = json.createObjectNode();
        out.put("package", pkg);
        byte[] key = restricted(pkg) ? outbox.keyOf(pkg) : null;
        if (key != null) {
            out.put("key", java.util.Base64.getEncoder().encodeToString(key));
        }
        ArrayNode entries = out.putArray("entries");
        for (dev.warden.storage.RegistryEvents.EventRecord e : store.read(tx -> tx.registryEvents().of(pkg))) {
            ObjectNode o = entries.addObject();
            o.put("seq", e.id());
            o.put("kind", e.kind());
            if (e.logIndex() != null) {
                o.put("logIndex", e.logIndex());
            }
            o.put("logged", e.statement());
            if (e.opening() != null) {
                o.put("statement", e.opening());
            }
        }
        return out;
    }

    /** Logs changes that committed but were not logged (after a crash or a failing log); returns how many. */
    public int logPendingEvents() {
        return outbox.logPendingEvents();
    }

    /** Tells the listeners of a committed change (after its commit). */
    void emit(String kind, String user, String pkg, java.util.Map<String, Object> detail) {
        emit(new Committed(kind, user, pkg, detail, false));
    }

    /** As {@link #emit(String, String, String, Map)} for a change whose transaction wrote its account history row itself. */
    void emitRecorded(String kind, String user, String pkg, java.util.Map<String, Object> detail) {
        emit(new Committed(kind, user, pkg, detail, true));
    }

    private void emit(Committed c) {
        String kind = c.kind();
        String pkg = c.pkg();
        for (Listener l : listeners) {
            try {
                l.changed(c);
            } catch (RuntimeException e) {
                LOG.warn("listener failed for {} of {}", kind, pkg, e);
            }
        }
    }

    /** A registry connected to nothing (tests and tools): see {@link Wiring#none()}. */
    public Registry(MetadataStore store, BlobStore blobs, ObjectMapper json, RegistrySettings settings, Clock clock) {
        this(store, blobs, json, settings, clock, Wiring.none());
    }

    public Registry(MetadataStore store, BlobStore blobs, ObjectMapper json, RegistrySettings settings, Clock clock, Wiring wiring) {
        this.store = store;
        this.blobs = blobs;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
        this.guard = wiring.guard();
        this.listeners = wiring.listeners();
        this.inspector = new TarballInspector(settings.tarballLimits(), json);
        this.reconciler = new ManifestReconciler(json);
        this.docs = new Packuments(store, json, settings);
        this.downloads = new DownloadCounter(store, clock);
        this.outbox = new Outbox(store, json, settings, docs, wiring.attestor(), wiring.commitments());
        this.governance = new PackageGovernance(this, outbox, store, blobs, json);
        this.succession = new Succession(this, outbox, store, json);
        this.provenance = new ProvenanceCheck(store, json, clock, wiring.trust(), wiring.issuerOfType(), wiring.signer(), settings.publicUrl());
        this.orgChanges = wiring.orgs() == null ? null : new OrgChanges(this, outbox, store, wiring.orgs(), json);
        this.publishes = new PublishFlow(this, store, blobs, json, settings, inspector, reconciler, provenance, governance, outbox, docs,
                guard, wiring.signer(), clock);
        this.rules = new PackageRules(store, governance);
    }

    /** npm's attestations of a live version (its SLSA provenance and the registry's publish attestation), if it has provenance. */
    public Optional<ObjectNode> attestations(String name, String version, Principal reader) {
        requireReadable(name, reader);
        return provenance.attestations(name, version);
    }

    /** The verified build facts of a version published with provenance. */
    public Optional<JsonNode> provenanceOf(String name, String version) {
        return provenance.facts(name, version);
    }

    String publicUrl() {
        return settings.publicUrl();
    }

    public DownloadCounter downloads() {
        return downloads;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---------------------------------------------------------------- reads

    /** The precomputed documents of a live package the principal may read. */
    public Optional<PackumentRecord> packument(String name, Principal reader) {
        PackumentRecord cached = docs.find(name);
        if (cached == null) {
            return Optional.empty();
        }
        if (restricted(name) && !canRead(name, reader)) {
            return Optional.empty();
        }
        return Optional.of(cached);
    }

    /** Whether only maintainers may read the package. */
    public boolean isRestricted(String name) {
        return restricted(name);
    }

    private boolean restricted(String name) {
        return docs.restricted(name);
    }

    /**
     * The documents of a public package if they are in memory, else null. Never blocks, never
     * touches storage: for answering anonymous reads on an I/O thread.
     */
    public PackumentRecord cachedPublicPackument(String name) {
        return docs.cachedPublic(name);
    }

    /** Like {@link #tarball} for an anonymous reader, but only from memory (null when unknown); the caller counts the download. */
    public TarballRef cachedPublicTarball(String name, String version) {
        return docs.cachedPublicTarball(name, version);
    }

    /** Rebuilds the documents of every live package (after a change of public URL or format). */
    public int rebuildAll() {
        return docs.rebuildAll();
    }

    /** Whether {@code reader} may read the restricted package {@code name} (see {@link Authority#mayRead}). */
    private boolean canRead(String name, Principal reader) {
        return reader != null && store.read(tx -> Authority.mayRead(tx, name, reader));
    }

    /** Counts a tarball download answered from memory. */
    public void countDownload(String name) {
        downloads.count(name);
    }

    /** One version's document, or the version a dist-tag points to. */
    public Optional<ObjectNode> version(String name, String versionOrTag, Principal reader) {
        if (packument(name, reader).isEmpty()) {
            return Optional.empty();
        }
        return store.read(tx -> {
            String version = tx.tags().of(name).getOrDefault(versionOrTag, versionOrTag);
            return tx.versions().find(name, version).filter(VersionRecord::live).map(docs.builder()::versionDocument);
        });
    }

    /** Where the uploaded manifest of a version disagreed with its tarball (JSON), if it did. */
    public Optional<String> differences(String name, String version) {
        return store.read(tx -> tx.versions().find(name, version).map(VersionRecord::differences));
    }

    /** The version a tarball file name ({@code bare-1.2.3.tgz}) of {@code name} stands for, or null. */
    public static String versionOfTarball(String name, String file) {
        int slash = name.indexOf('/');
        String bare = slash < 0 ? name : name.substring(slash + 1);
        if (file.length() <= bare.length() + 5 || !file.startsWith(bare) || file.charAt(bare.length()) != '-' || !file.endsWith(".tgz")) {
            return null;
        }
        return file.substring(bare.length() + 1, file.length() - 4);
    }

    /** Locates the tarball {@code file} of {@code name} and counts the download. */
    public Optional<TarballRef> tarball(String name, String file, Principal reader) {
        String version = versionOfTarball(name, file);
        if (version == null) {
            return Optional.empty();
        }
        Optional<TarballRef> ref = docs.tarball(name, version, k -> store.read(tx -> tx.versions()
                .find(name, version)
                .filter(VersionRecord::live)
                .map(v -> new TarballRef(name, version, v.blobKey(), v.tarballSize(), v.integrity()))));
        if (ref.isPresent() && restricted(name) && !canRead(name, reader)) {
            return Optional.empty();
        }
        ref.ifPresent(r -> downloads.count(name));
        return ref;
    }

    public Optional<BlobStore.Blob> blob(TarballRef ref) {
        try {
            return blobs.get(ref.blobKey());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- publish

    /**
     * Publishes the single version in an npm publish document ({@code PUT /:pkg}), or stages it
     * when governance says so (see {@link PublishFlow}).
     *
     * @param urlName the package name from the request path
     * @param proof the request's second factor, asked for when the package's rules want one
     */
    public Published publish(String urlName, ObjectNode body, Principal principal, SecondFactor proof) {
        return publishes.publish(urlName, body, principal, proof, false);
    }

    /** As {@link #publish(String, ObjectNode, Principal, SecondFactor)} for a caller that cannot give a second factor: a rule that asks one refuses. */
    public Published publish(String urlName, ObjectNode body, Principal principal) {
        return publish(urlName, body, principal, () -> {
            throw Problem.forbidden("a second factor is required to change " + clip(urlName));
        });
    }

    /** {@code npm stage publish}: checked as a publish is and held for approval; no second factor now, the approvals take it. */
    public Published stage(String urlName, ObjectNode body, Principal principal) {
        return publishes.publish(urlName, body, principal, SecondFactor.NONE, true);
    }

    /**
     * The rules of package {@code name} for a change by {@code principal} beyond its credential:
     * a restricted package they may not read answers as missing; its two-factor rules ask
     * {@code proof} when they apply (see {@link PackageRules}).
     */
    public void authorize(String name, Principal principal, SecondFactor proof) {
        refuseUnlessReadable(name, principal, false);
        rules.authorize(name, principal, proof);
    }

    Published goLive(Release release, Principal principal, boolean approved) {
        return publishes.goLive(release, principal, approved);
    }

    Release releaseOfLegacyStage(ObjectNode body, String pkg) {
        return publishes.releaseOfLegacyStage(body, pkg);
    }

    /**
     * The manifest a release of {@code tarball} with the uploaded {@code manifest} is served with,
     * by the same inspection and reconciliation as {@link #prepare}: what a stage's review shows.
     */
    ObjectNode servedManifest(PackageName name, ObjectNode manifest, byte[] tarball) {
        return reconciler.reconcile(manifest, inspector.inspect(tarball), name).manifest();
    }

    /**
     * Who may publish a new package in a scope: its holder (the first publisher in it, recorded
     * for good), or a maintainer of a live package in it. A scope nobody holds yet may be taken by
     * the user of that name, or by anyone when no user has that name.
     */
    static void checkScope(ReadTx tx, PackageName name, Principal principal) {
        if (name.scope() == null) {
            return;
        }
        if (tx.orgs().exists(name.scope())) {
            if (tx.orgs().role(name.scope(), principal.user()).isEmpty()) {
                throw Problem.forbidden("you may not publish to the scope @" + name.scope() + ": you are not a member of that organization");
            }
            return;
        }
        Optional<String> holder = tx.scopes().owner(name.scope());
        if (holder.isPresent()) {
            if (holder.get().equals(principal.user())) {
                return;
            }
            boolean member = tx.packages().names("@" + name.scope()).stream()
                    .anyMatch(p -> tx.maintainers().of(p).contains(principal.user()));
            if (!member) {
                throw Problem.forbidden("you may not publish to the scope @" + name.scope() + ": it belongs to another account");
            }
            return;
        }
        if (!name.scope().equals(principal.user()) && tx.users().find(name.scope()).isPresent()) {
            throw Problem.forbidden("you may not publish to the scope @" + name.scope() + ": it is the scope of user " + name.scope());
        }
    }

    // ---------------------------------------------------------------- dist-tags

    public Map<String, String> distTags(String name, Principal reader) {
        requireReadable(name, reader);
        return store.read(tx -> tx.tags().of(name));
    }

    /** Points {@code tag} at {@code version}; answers the log indexes of the change (none when nothing changed). */
    public List<Long> setDistTag(String name, String tag, String version, Principal principal) {
        return setDistTag(name, tag, version, principal, false);
    }

    List<Long> setDistTag(String name, String tag, String version, Principal principal, boolean approved) {
        requireWriter(principal, name);
        checkTag(tag);
        VersionNumber.check(version);
        if (tag.equals("latest")) {
            String current = store.read(tx -> tx.tags().of(name).get("latest"));
            if (current != null && VersionNumber.ORDER.compare(version, current) < 0) {
                governance.hold(name, new Change.DistTag(tag, version, current, true), principal, approved);
            }
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        mutate(name, principal, (tx, now) -> {
            if (tx.versions().find(name, version).filter(VersionRecord::live).isEmpty()) {
                throw Problem.notFound("version " + version + " of " + name + " does not exist");
            }
            String previous = tx.tags().of(name).get(tag);
            if (version.equals(previous)) {
                return;
            }
            tx.tags().put(name, tag, version);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("tag", tag);
            detail.put("previous", previous);
            outbox.record(tx, events, "dist-tag.set", name, version, principal.user(), now, detail);
        });
        return outbox.log(events);
    }

    public List<Long> removeDistTag(String name, String tag, Principal principal) {
        requireWriter(principal, name);
        if (tag.equals("latest")) {
            throw Problem.badRequest("the latest tag cannot be removed");
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        mutate(name, principal, (tx, now) -> {
            String previous = tx.tags().of(name).get(tag);
            if (previous == null) {
                throw Problem.notFound("dist-tag " + clip(tag) + " does not exist on " + name);
            }
            tx.tags().remove(name, tag);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("tag", tag);
            detail.put("previous", previous);
            outbox.record(tx, events, "dist-tag.removed", name, null, principal.user(), now, detail);
        });
        return outbox.log(events);
    }

    static void checkTag(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > 128 || !tag.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw Problem.badRequest("invalid dist-tag name \"" + clip(String.valueOf(tag)) + "\"");
        }
        if (VersionNumber.parseOrNull(tag.startsWith("v") ? tag.substring(1) : tag) != null
                || tag.matches("[v=^~<>]*[0-9xX*]+(\\.[0-9xX*]+){0,2}")) {
            throw Problem.badRequest("a dist-tag may not look like a version or range: " + clip(tag));
        }
    }

    // ---------------------------------------------------------------- document updates

    /**
     * The outcome of a document update: its log indexes, and what the client is told about
     * changes held for approval (governed packages).
     */
    public record Updated(List<Long> logIndexes, List<String> notices) {}

    /**
     * Applies a modified packument sent back by the client ({@code PUT /:pkg/-rev/:rev}), as npm does
     * for deprecate, owner, star and version unpublish: the differences from the stored document
     * are read as those operations, each with its own permission check.
     */
    public Updated updateDocument(String name, String rev, ObjectNode body, Principal principal) {
        return updateDocument(name, rev, body, principal, false);
    }

    Updated updateDocument(String name, String rev, ObjectNode body, Principal principal, boolean approved) {
        if (isStarOnly(body)) {
            requireWriter(principal);
        } else {
            requireWriter(principal, name);
        }
        if (body.has("_attachments") && body.get("_attachments").size() > 0) {
            throw Problem.badRequest("attachments are only accepted when publishing a new version");
        }
        String bodyName = body.path("_id").asText(body.path("name").asText(name));
        if (!bodyName.equals(name)) {
            throw Problem.badRequest("document _id does not match the URL");
        }
        Instant now = now();
        boolean[] removedAll = {false};
        requireReadable(name, principal);
        holdVersionChanges(name, body, principal, approved);
        List<String> affected = new ArrayList<>();
        List<java.util.Map<String, Object>> ownerChanges = new ArrayList<>(1);
        List<Outbox.PendingEvent> events = new ArrayList<>(2);
        List<String> notices = new ArrayList<>(1);
        store.write(tx -> {
            PackageRecord pkg = livePackage(tx, name);
            checkRev(name, pkg, rev != null ? rev : body.path("_rev").asText(null));
            boolean maintainer = Authority.mayMaintain(tx, name, principal.user());
            boolean changed = false;

            JsonNode users = body.get("users");
            if (users != null && users.isObject()) {
                boolean starred = tx.stars().of(name).contains(principal.user());
                boolean wants = users.path(principal.user()).asBoolean(false);
                if (starred != wants) {
                    if (wants) {
                        tx.stars().add(name, principal.user());
                    } else {
                        tx.stars().remove(name, principal.user());
                    }
                    changed = true;
                }
                for (Iterator<String> it = users.fieldNames(); it.hasNext(); ) {
                    String u = it.next();
                    if (!u.equals(principal.user()) && !tx.stars().of(name).contains(u)) {
                        throw Problem.forbidden("you can only star or unstar as yourself");
                    }
                }
            }

            JsonNode maintainers = body.get("maintainers");
            if (maintainers != null) {
                java.util.Map<String, Object> ownerChange = ownerChange(tx, name, maintainers, principal, maintainer);
                Decision decision = ownerChange == null ? Decision.LIVE : Rules.decide(new Rules.Facts(governance.policy(tx, name),
                        new Actor(maintainer, principal.publisher() != null, approved),
                        new Change.Owners(strings(ownerChange.get("added")), strings(ownerChange.get("removed")))));
                if (decision instanceof Decision.Held held) {
                    int approvals = held.approvals();
                    // a critical change to a governed package: held until the quorum approves it
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("added", ownerChange.get("added"));
                    payload.put("removed", ownerChange.get("removed"));
                    String id = governance.requestChange(tx, events, name, "owners", payload, principal, approvals, now);
                    notices.add("warden: " + name + " is governed: adding or removing maintainers needs " + approvals
                            + " other maintainer(s)' approval; it is pending as change request " + id
                            + " (warden governance approve " + id + ")");
                } else if (ownerChange != null) {
                    applyOwnerChange(tx, name, ownerChange, now);
                    ownerChanges.add(ownerChange);
                    outbox.record(tx, events, "package.owners-changed", name, null, principal.user(), now, ownerChange);
                    changed = true;
                }
            }

            JsonNode versions = body.get("versions");
            if (versions != null && versions.isObject()) {
                List<VersionRecord> live = tx.versions().all(name).stream().filter(VersionRecord::live).toList();
                List<VersionRecord> removed = new ArrayList<>();
                for (VersionRecord v : live) {
                    JsonNode sent = versions.get(v.version());
                    if (sent == null) {
                        removed.add(v);
                        continue;
                    }
                    JsonNode dep = sent.get("deprecated");
                    String wanted = dep == null || dep.isNull() ? "" : dep.asText();
                    String current = v.deprecated() == null ? "" : v.deprecated();
                    if (!wanted.equals(current)) {
                        requireMaintainerFlag(maintainer, name);
                        if (wanted.length() > 1024) {
                            throw Problem.badRequest("deprecation message is longer than 1024 characters");
                        }
                        tx.versions().setDeprecated(name, v.version(), wanted.isEmpty() ? null : wanted);
                        changed = true;
                    }
                }
                for (Iterator<String> it = versions.fieldNames(); it.hasNext(); ) {
                    String v = it.next();
                    if (live.stream().noneMatch(r -> r.version().equals(v))) {
                        throw Problem.badRequest("version " + clip(v) + " is not published; use npm publish to add versions");
                    }
                }
                if (!removed.isEmpty()) {
                    requireMaintainerFlag(maintainer, name);
                    if (removed.size() == live.size()) {
                        checkUnpublishAllowed(tx, pkg, removed, now);
                        removed.forEach(v -> affected.add(v.version()));
                        unpublishWhole(tx, pkg, now);
                        outbox.record(tx, events, "package.unpublished", name, null, principal.user(), now,
                                Map.of("versions", List.copyOf(affected), "whole", true));
                        removedAll[0] = true;
                        return null;
                    }
                    checkUnpublishAllowed(tx, pkg, removed, now);
                    for (VersionRecord v : removed) {
                        affected.add(v.version());
                        tx.versions().setUnpublished(name, v.version(), now);
                        tx.dependencies().removeVersion(name, v.version());
                    }
                    retag(tx, name, body.get("dist-tags"));
                    outbox.record(tx, events, "package.unpublished", name, null, principal.user(), now,
                            Map.of("versions", List.copyOf(affected), "whole", false, "tags", tx.tags().of(name)));
                    changed = true;
                }
            }
            if (changed) {
                tx.packages().update(pkg.touched(now));
                docs.rebuild(tx, name);
            }
            return null;
        });
        if (removedAll[0]) {
            docs.drop(name, affected);
        } else {
            docs.refresh(name, affected);
        }
        List<Long> indexes = outbox.log(events);
        ownerChanges.forEach(owners -> emit("package.owners-changed", principal.user(), name, owners));
        if (!affected.isEmpty()) {
            emit("package.unpublished", principal.user(), name, java.util.Map.of("versions", affected));
        }
        return new Updated(indexes, notices);
    }

    /** The owner change a document asks for, checked but not applied; null when it asks none. */
    private java.util.Map<String, Object> ownerChange(WriteTx tx, String name, JsonNode maintainers, Principal principal, boolean maintainer) {
        if (!maintainers.isArray()) {
            throw Problem.badRequest("maintainers must be an array");
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (JsonNode m : maintainers) {
            String user = m.isTextual() ? m.asText() : m.path("name").asText("");
            if (user.isEmpty()) {
                throw Problem.badRequest("each maintainer needs a name");
            }
            wanted.add(user);
        }
        List<String> current = tx.maintainers().of(name);
        if (wanted.equals(new LinkedHashSet<>(current))) {
            return null;
        }
        requireMaintainerFlag(maintainer, name);
        if (wanted.isEmpty()) {
            throw Problem.badRequest("a package must keep at least one maintainer");
        }
        guard.check(principal.user());
        for (String user : wanted) {
            if (!current.contains(user) && tx.users().find(user).isEmpty()) {
                throw Problem.notFound("user " + clip(user) + " does not exist");
            }
        }
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", List.copyOf(current));
        change.put("after", List.copyOf(wanted));
        change.put("added", wanted.stream().filter(u -> !current.contains(u)).toList());
        change.put("removed", current.stream().filter(u -> !wanted.contains(u)).toList());
        return change;
    }

    /** Deprecations and version removals in a document update of a governed package are held for approval. */
    private void holdVersionChanges(String name, ObjectNode body, Principal principal, boolean approved) {
        JsonNode versions = body.get("versions");
        if (versions == null || !versions.isObject()) {
            return;
        }
        ObjectNode deprecate = json.createObjectNode();
        List<String> unpublish = new ArrayList<>();
        store.read(tx -> {
            for (VersionRecord v : tx.versions().all(name)) {
                if (!v.live()) {
                    continue;
                }
                JsonNode sent = versions.get(v.version());
                if (sent == null) {
                    unpublish.add(v.version());
                    continue;
                }
                JsonNode dep = sent.get("deprecated");
                String wanted = dep == null || dep.isNull() ? "" : dep.asText();
                if (!wanted.equals(v.deprecated() == null ? "" : v.deprecated())) {
                    deprecate.put(v.version(), wanted);
                }
            }
            return null;
        });
        if (deprecate.isEmpty() && unpublish.isEmpty()) {
            return;
        }
        Map<String, String> deprecations = new LinkedHashMap<>();
        deprecate.properties().forEach(e -> deprecations.put(e.getKey(), e.getValue().asText()));
        governance.hold(name, new Change.Versions(deprecations, unpublish), principal, approved);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return (List<String>) list;
    }

    private static Iterable<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /**
     * Applies approved deprecations and version removals: the current document with just those
     * changes, so whatever happened meanwhile stays.
     */
    List<Long> applyVersionChanges(String name, Map<String, String> deprecate, List<String> unpublish, Principal requester) {
        ObjectNode body = json.createObjectNode();
        body.put("_id", name);
        ObjectNode versions = body.putObject("versions");
        Map<String, String> tags = store.read(tx -> {
            for (VersionRecord v : tx.versions().all(name)) {
                if (v.live() && !unpublish.contains(v.version())) {
                    ObjectNode o = versions.putObject(v.version());
                    String d = deprecate.get(v.version());
                    String message = d != null ? d : v.deprecated();
                    if (message != null && !message.isEmpty()) {
                        o.put("deprecated", message);
                    }
                }
            }
            return tx.tags().of(name);
        });
        ObjectNode distTags = body.putObject("dist-tags");
        tags.forEach((tag, v) -> {
            if (!unpublish.contains(v)) {
                distTags.put(tag, v);
            }
        });
        return updateDocument(name, null, body, requester, true).logIndexes();
    }

    @SuppressWarnings("unchecked")
    private static void applyOwnerChange(WriteTx tx, String name, Map<String, Object> change, Instant now) {
        ((List<String>) change.get("added")).forEach(u -> tx.maintainers().add(name, u, now));
        ((List<String>) change.get("removed")).forEach(u -> tx.maintainers().remove(name, u));
    }

    /**
     * Applies an owner change that the quorum approved: the users added that still exist join,
     * those removed leave, as long as one maintainer remains.
     */
    List<Long> applyApprovedOwners(String name, List<String> added, List<String> removed, String requester, Map<String, Object> approval) {
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        Instant now = now();
        Map<String, Object> change = store.write(tx -> {
            livePackage(tx, name);
            List<String> before = tx.maintainers().of(name);
            Set<String> after = new LinkedHashSet<>(before);
            added.stream().filter(u -> tx.users().find(u).isPresent()).forEach(after::add);
            removed.forEach(after::remove);
            if (after.isEmpty()) {
                throw Problem.conflict("the approved change would leave " + name + " with no maintainer");
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("before", List.copyOf(before));
            c.put("after", List.copyOf(after));
            c.put("added", after.stream().filter(u -> !before.contains(u)).toList());
            c.put("removed", before.stream().filter(u -> !after.contains(u)).toList());
            applyOwnerChange(tx, name, c, now);
            Map<String, Object> detail = new LinkedHashMap<>(c);
            detail.putAll(approval);
            outbox.record(tx, events, "package.owners-changed", name, null, requester, now, detail);
            tx.packages().update(tx.packages().find(name).orElseThrow().touched(now));
            docs.rebuild(tx, name);
            return c;
        });
        docs.refresh(name, List.of());
        emit("package.owners-changed", requester, name, change);
        return outbox.log(events);
    }

    /** After versions are removed: drop tags pointing at them, take the client's latest if valid, else the highest release. */
    private static void retag(WriteTx tx, String name, JsonNode sentTags) {
        Set<String> live = new LinkedHashSet<>();
        tx.versions().all(name).stream().filter(VersionRecord::live).forEach(v -> live.add(v.version()));
        Map<String, String> tags = tx.tags().of(name);
        tags.forEach((tag, version) -> {
            if (!live.contains(version)) {
                tx.tags().remove(name, tag);
            }
        });
        String latest = sentTags == null ? null : sentTags.path("latest").asText(null);
        if (latest == null || !live.contains(latest)) {
            latest = tx.tags().of(name).get("latest");
        }
        if (latest == null) {
            latest = live.stream().filter(v -> !VersionNumber.isPrerelease(v)).max(VersionNumber.ORDER)
                    .orElseGet(() -> live.stream().max(VersionNumber.ORDER).orElseThrow());
        }
        tx.tags().put(name, "latest", latest);
    }

    // ---------------------------------------------------------------- unpublish

    /** {@code DELETE /:pkg/-rev/:rev}: unpublishes every version. */
    public List<Long> unpublishPackage(String name, String rev, Principal principal) {
        return unpublishPackage(name, rev, principal, false);
    }

    List<Long> unpublishPackage(String name, String rev, Principal principal, boolean approved) {
        governance.hold(name, new Change.Unpublish(), principal, approved);
        requireWriter(principal, name);
        requireReadable(name, principal);
        Instant now = now();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        List<String> versions = store.write(tx -> {
            PackageRecord pkg = livePackage(tx, name);
            checkRev(name, pkg, rev);
            requireMaintainer(tx, name, principal);
            List<VersionRecord> live = tx.versions().all(name).stream().filter(VersionRecord::live).toList();
            checkUnpublishAllowed(tx, pkg, live, now);
            unpublishWhole(tx, pkg, now);
            List<String> gone = live.stream().map(VersionRecord::version).toList();
            outbox.record(tx, events, "package.unpublished", name, null, principal.user(), now, Map.of("versions", gone, "whole", true));
            return gone;
        });
        docs.drop(name, versions);
        LOG.info("unpublished {} by {}", name, principal.user());
        List<Long> indexes = outbox.log(events);
        emit("package.unpublished", principal.user(), name, java.util.Map.of("versions", versions));
        return indexes;
    }

    /** {@code DELETE /:pkg/-/:file/-rev/:rev}: the tarball of a version already unpublished by the document update. */
    public void deleteTarball(String name, String file, String rev, Principal principal) {
        requireWriter(principal, name);
        store.read(tx -> {
            Optional<PackageRecord> pkg = tx.packages().find(name);
            if (pkg.isEmpty()) {
                throw Problem.notFound("package " + name + " not found");
            }
            if (pkg.get().live() && !tx.maintainers().of(name).contains(principal.user())) {
                throw pkg.get().access().equals("restricted")
                        ? Problem.notFound("package " + clip(name) + " not found")
                        : Problem.forbidden("you are not a maintainer of " + clip(name));
            }
            PackageName pn = PackageName.parse(name);
            String prefix = pn.bare() + "-";
            if (!file.startsWith(prefix) || !file.endsWith(".tgz")) {
                throw Problem.notFound("no such tarball");
            }
            String version = file.substring(prefix.length(), file.length() - 4);
            Optional<VersionRecord> v = tx.versions().find(name, version);
            if (v.isEmpty()) {
                throw Problem.notFound("no such tarball");
            }
            if (v.get().live()) {
                throw Problem.badRequest("unpublish the version before deleting its tarball");
            }
            return null;
        });
    }

    /** Downloads in the last seven days (today included), counted and not yet flushed ones too. */
    long weeklyDownloads(ReadTx tx, String name) {
        return tx.downloads().since(name, LocalDate.ofInstant(now(), ZoneOffset.UTC).minusDays(6)) + downloads.pending(name);
    }

    private void checkUnpublishAllowed(ReadTx tx, PackageRecord pkg, List<VersionRecord> versions, Instant now) {
        boolean recent = versions.stream().allMatch(v -> v.published().plus(settings.unpublishWindow()).isAfter(now));
        if (recent) {
            return;
        }
        int dependents = tx.dependencies().dependentCount(pkg.name());
        long weekly = tx.downloads().since(pkg.name(), LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(6))
                + downloads.pending(pkg.name());
        int maintainers = tx.maintainers().of(pkg.name()).size();
        List<String> reasons = new ArrayList<>();
        if (dependents > 0) {
            reasons.add(dependents + " other package(s) depend on it");
        }
        if (weekly >= settings.unpublishMaxWeeklyDownloads()) {
            reasons.add("it had " + weekly + " downloads in the last week");
        }
        if (maintainers > 1) {
            reasons.add("it has " + maintainers + " maintainers");
        }
        if (!reasons.isEmpty()) {
            throw Problem.forbidden("cannot unpublish " + pkg.name() + ": it was published more than "
                    + settings.unpublishWindow().toHours() + " hours ago and " + String.join(", ", reasons)
                    + ". Deprecate it instead (npm deprecate)");
        }
    }

    private static void unpublishWhole(WriteTx tx, PackageRecord pkg, Instant now) {
        for (VersionRecord v : tx.versions().all(pkg.name())) {
            if (v.live()) {
                tx.versions().setUnpublished(pkg.name(), v.version(), now);
                tx.dependencies().removeVersion(pkg.name(), v.version());
            }
        }
        tx.tags().removeAll(pkg.name());
        tx.maintainers().removeAll(pkg.name());
        tx.packuments().remove(pkg.name());
        tx.search().remove(pkg.name());
        tx.packages().update(pkg.touched(now).withUnpublished(now));
    }

    // ---------------------------------------------------------------- owners, access, stars

    public List<Map.Entry<String, String>> maintainers(String name, Principal reader) {
        requireReadable(name, reader);
        return store.read(tx -> tx.maintainers().of(name).stream()
                .map(u -> Map.entry(u, tx.users().find(u).map(UserRecord::email).orElse("")))
                .toList());
    }

    public String visibility(String name, Principal reader) {
        requireReadable(name, reader);
        return store.read(tx -> tx.packages().find(name).orElseThrow().access());
    }

    public void setAccess(String name, String access, Principal principal) {
        setAccess(name, access, principal, false);
    }

    void setAccess(String name, String access, Principal principal, boolean approved) {
        requireWriter(principal, name);
        if (!"public".equals(access) && !"restricted".equals(access) && !"private".equals(access)) {
            throw Problem.badRequest("access must be public or private");
        }
        String value = "private".equals(access) ? "restricted" : access;
        if (value.equals("restricted") && PackageName.parse(name).scope() == null) {
            throw Problem.badRequest("only scoped packages can be made private");
        }
        if (!value.equals(store.read(tx -> tx.packages().find(name).map(PackageRecord::access).orElse(value)))) {
            governance.hold(name, new Change.Access(value), principal, approved);
        }
        store.read(tx -> {
            livePackage(tx, name);
            requireMaintainer(tx, name, principal); // before the cache below: a refused caller must change nothing, not even it
            return null;
        });
        if (value.equals("restricted")) {
            docs.markRestricted(name); // never serve anonymously while the change commits
        }
        try {
            mutate(name, principal, (tx, now) -> tx.packages().update(tx.packages().find(name).orElseThrow().withAccess(value)));
        } finally {
            docs.forgetRestricted(name);
        }
    }

    /** Packages a user maintains, or the packages in a scope ({@code @scope}), with the access the caller sees. */
    public Map<String, String> packagesOf(String userOrScope, Principal reader) {
        return store.read(tx -> {
            List<String> names = userOrScope.startsWith("@")
                    ? tx.packages().names(userOrScope)
                    : tx.maintainers().packagesOf(userOrScope);
            Map<String, String> out = new LinkedHashMap<>();
            for (String n : names) {
                boolean isMaintainer = reader != null && Authority.mayMaintain(tx, n, reader.user());
                String access = tx.packages().find(n).map(PackageRecord::access).orElse("public");
                if (access.equals("restricted") && !isMaintainer) {
                    continue;
                }
                out.put(n, isMaintainer ? "write" : "read");
            }
            return out;
        });
    }

    /** Whether a document update only stars or unstars ({@code {_id, _rev, users}}, as npm star sends it). */
    public static boolean isStarOnly(ObjectNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("_id") && !f.equals("_rev") && !f.equals("users")) {
                return false;
            }
        }
        return body.has("users");
    }

    /** The package's two-factor rule for publishing ({@code npm access set mfa=...}); none means no rule. */
    public Optional<PackageMfa.Policy> mfaPolicy(String name) {
        return store.read(tx -> tx.packageMfa().find(name));
    }

    /**
     * {@code npm access set mfa=...}: changing a two-factor rule takes a second factor when the rule
     * is or becomes one that asks it, and no token may bypass that.
     */
    public void setMfaPolicy(String name, boolean publishRequiresTfa, boolean automationOverrides, Principal principal, SecondFactor proof) {
        refuseUnlessReadable(name, principal, false);
        boolean currentlyRequired = mfaPolicy(name).map(PackageMfa.Policy::publishRequiresTfa).orElse(false);
        if (publishRequiresTfa || currentlyRequired) {
            rules.requireTwoFactor(name, principal, proof);
        }
        setMfaPolicy(name, publishRequiresTfa, automationOverrides, principal);
    }

    /** Sets the two-factor rule; the trusted-publishing rule stays as it is. */
    public void setMfaPolicy(String name, boolean publishRequiresTfa, boolean automationOverrides, Principal principal) {
        setMfaPolicy(name, publishRequiresTfa, automationOverrides, principal, false);
    }

    void setMfaPolicy(String name, boolean publishRequiresTfa, boolean automationOverrides, Principal principal, boolean approved) {
        requireWriter(principal, name);
        PackageMfa.Policy rule = store.read(tx -> tx.packageMfa().find(name)).orElse(PackageMfa.Policy.NONE);
        boolean looser = (rule.publishRequiresTfa() && !publishRequiresTfa) || (!rule.automationOverrides() && automationOverrides);
        if (looser) {
            governance.hold(name, new Change.Mfa(publishRequiresTfa, automationOverrides, true), principal, approved);
        }
        mutate(name, principal, (tx, now) -> tx.packageMfa().put(name, new PackageMfa.Policy(publishRequiresTfa, automationOverrides,
                tx.packageMfa().find(name).map(PackageMfa.Policy::requireTrustedPublisher).orElse(false))));
    }

    /** The packages {@code user} starred that {@code reader} may see. */
    public List<String> starredBy(String user, Principal reader) {
        return store.read(tx -> tx.stars().starredBy(user)).stream().filter(name -> readable(name, reader)).toList();
    }

    // ---------------------------------------------------------------- trusted publishers

    /** Why a trusted publisher's token may not publish {@code pkg} now, if it may not. */
    static void checkTrustedPublisher(ReadTx tx, String pkg, Principal.Publisher publisher, boolean live, boolean stageAllowed) {
        if (!publisher.pkg().equals(pkg)) {
            throw Problem.forbidden("this token was issued to a trusted publisher of " + clip(publisher.pkg()) + " and cannot publish " + clip(pkg));
        }
        if (!live) {
            throw Problem.forbidden(clip(pkg) + " does not exist: a trusted publisher publishes new versions of an existing package");
        }
        if (tx.trustedPublishers().find(pkg, publisher.trustId()).isEmpty()) {
            throw Problem.forbidden("the trusted publisher this token was issued for has been removed from " + clip(pkg));
        }
        if (!publisher.permissions().contains(TrustedPublishing.PUBLISH)
                && !(stageAllowed && publisher.permissions().contains(TrustedPublishing.STAGE))) {
            throw Problem.forbidden("the trusted publisher of " + clip(pkg) + " may only stage releases for approval (npm stage publish), "
                    + "not publish them directly (npm trust ... --allow-publish)");
        }
    }

    /** A package's trusted publishers, for its maintainers ({@code npm trust list}). */
    public List<TrustRecord> trustedPublishers(String name, Principal principal) {
        requireWriter(principal, name);
        requirePerson(principal);
        return store.read(tx -> {
            livePackage(tx, name);
            requireMaintainer(tx, name, principal);
            return tx.trustedPublishers().of(name);
        });
    }

    /** The trusted publishers an ID token may match (for the token exchange; no caller yet). */
    public List<TrustRecord> trustedPublishersOf(String name) {
        return store.read(tx -> {
            livePackage(tx, name);
            return tx.trustedPublishers().of(name);
        });
    }

    /**
     * Adds a trusted publisher ({@code npm trust github|gitlab|circleci}). A package has at most
     * one, as on npmjs: to change it, revoke it first.
     */
    public Changed<TrustRecord> addTrustedPublisher(String name, TrustedPublishing.Config config, Principal principal) {
        return addTrustedPublisher(name, config, principal, false);
    }

    Changed<TrustRecord> addTrustedPublisher(String name, TrustedPublishing.Config config, Principal principal, boolean approved) {
        requireWriter(principal, name);
        requirePerson(principal);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("type", config.type());
        cfg.put("claims", config.claims());
        cfg.put("permissions", config.permissions());
        governance.hold(name, new Change.TrustedPublisherAdd(config.type(), cfg), principal, approved);
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        TrustRecord added = store.write(tx -> {
            livePackage(tx, name);
            requireMaintainer(tx, name, principal);
            List<TrustRecord> existing = tx.trustedPublishers().of(name);
            if (!existing.isEmpty()) {
                throw Problem.conflict(name + " already has a trusted publisher (" + existing.get(0).id()
                        + "): revoke it first with npm trust revoke " + name + " --id " + existing.get(0).id());
            }
            Instant now = now();
            TrustRecord t = new TrustRecord("oidc:" + java.util.UUID.randomUUID(), name, config.type(), write(config.claims()),
                    config.permissions(), now, principal.user());
            tx.trustedPublishers().insert(t);
            outbox.record(tx, events, "package.trusted-publisher-added", name, null, principal.user(), now, trustDetail(t));
            return t;
        });
        emit("package.trusted-publisher-added", principal.user(), name, Map.of("id", added.id(), "type", added.type()));
        return new Changed<>(added, outbox.log(events));
    }

    /** Removes a trusted publisher ({@code npm trust revoke}); tokens already issued to it stop working at once. */
    public List<Long> removeTrustedPublisher(String name, String id, Principal principal) {
        return removeTrustedPublisher(name, id, principal, false);
    }

    List<Long> removeTrustedPublisher(String name, String id, Principal principal, boolean approved) {
        requireWriter(principal, name);
        requirePerson(principal);
        if (store.read(tx -> tx.trustedPublishers().find(name, id)).isPresent()) {
            governance.hold(name, new Change.TrustedPublisherRemove(id), principal, approved);
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        store.write(tx -> {
            livePackage(tx, name);
            requireMaintainer(tx, name, principal);
            TrustRecord t = tx.trustedPublishers().find(name, id)
                    .orElseThrow(() -> Problem.notFound(name + " has no trusted publisher with id " + clip(id)));
            boolean required = tx.packageMfa().find(name).filter(PackageMfa.Policy::requireTrustedPublisher).isPresent();
            if (required && tx.trustedPublishers().of(name).size() == 1) {
                throw Problem.conflict(name + " requires trusted publishing, and this is its only trusted publisher: "
                        + "stop requiring it first, or nobody could publish " + name);
            }
            tx.trustedPublishers().delete(name, id);
            outbox.record(tx, events, "package.trusted-publisher-removed", name, null, principal.user(), now(), trustDetail(t));
            return null;
        });
        emit("package.trusted-publisher-removed", principal.user(), name, Map.of("id", id));
        return outbox.log(events);
    }

    /** Turns on or off the rule that only a trusted publisher may publish {@code name}. */
    public List<Long> requireTrustedPublisher(String name, boolean required, Principal principal) {
        return requireTrustedPublisher(name, required, principal, false);
    }

    List<Long> requireTrustedPublisher(String name, boolean required, Principal principal, boolean approved) {
        requireWriter(principal, name);
        requirePerson(principal);
        if (!required && store.read(tx -> tx.packageMfa().find(name)).map(PackageMfa.Policy::requireTrustedPublisher).orElse(false)) {
            governance.hold(name, new Change.TrustedPublishingOptional(), principal, approved);
        }
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        store.write(tx -> {
            livePackage(tx, name);
            requireMaintainer(tx, name, principal);
            PackageMfa.Policy policy = tx.packageMfa().find(name).orElse(PackageMfa.Policy.NONE);
            if (policy.requireTrustedPublisher() == required) {
                return null;
            }
            if (required && tx.trustedPublishers().of(name).stream().noneMatch(t -> t.permissions().contains(TrustedPublishing.PUBLISH))) {
                throw Problem.conflict(name + " has no trusted publisher allowed to publish: add one first (npm trust github|gitlab|circleci "
                        + name + " --allow-publish)");
            }
            tx.packageMfa().put(name, new PackageMfa.Policy(policy.publishRequiresTfa(), policy.automationOverrides(), required));
            outbox.record(tx, events, "package.policy-changed", name, null, principal.user(), now(), Map.of("requireTrustedPublisher", required));
            return null;
        });
        return outbox.log(events);
    }

    private Map<String, Object> trustDetail(TrustRecord t) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("id", t.id());
        detail.put("type", t.type());
        detail.put("claims", read(t.claims()));
        detail.put("permissions", t.permissions());
        return detail;
    }

    /** Trust and publishing rules are changed by people with a second factor, never by a CI job's token. */
    static void requirePerson(Principal principal) {
        if (principal.publisher() != null) {
            throw Problem.forbidden("a trusted publisher's token can only publish; it cannot change the package's settings");
        }
    }

    /** Changes to organizations' members, roles, teams and grants (see {@link OrgChanges}). */
    public OrgChanges organizations() {
        OrgChanges o = orgChanges;
        if (o == null) {
            throw new IllegalStateException("organizations are not governed by this registry: it was wired without them");
        }
        return o;
    }

    /** Governance policies and staged releases. */
    public PackageGovernance governance() {
        return governance;
    }

    /** Successors, notices and claims. */
    public Succession succession() {
        return succession;
    }

    /** A change's result and the log indexes of its statements. */
    public record Changed<T>(T value, List<Long> logIndexes) {}

    // ---------------------------------------------------------------- search

    /** Search results as npm's {@code /-/v1/search} returns them. */
    public ObjectNode search(String text, int size, int from, Principal reader) {
        List<String> terms = new ArrayList<>();
        for (String t : (text == null ? "" : text).trim().split("\\s+")) {
            if (!t.isEmpty() && terms.size() < 16) {
                terms.add(t.length() > 64 ? t.substring(0, 64) : t);
            }
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode objects = out.putArray("objects");
        if (terms.isEmpty()) {
            out.put("total", 0);
            out.put("time", clock.instant().toString());
            return out;
        }
        List<dev.warden.storage.Search.Hit> hits = store.read(tx -> tx.search().find(terms, 1_000));
        String phrase = String.join(" ", terms).toLowerCase(java.util.Locale.ROOT);
        List<Map.Entry<Double, ObjectNode>> scored = new ArrayList<>();
        for (dev.warden.storage.Search.Hit hit : hits) {
            if (restricted(hit.name()) && !canRead(hit.name(), reader)) {
                continue;
            }
            ObjectNode summary = read(hit.summaryJson());
            if (summary.get("links") instanceof ObjectNode links) {
                SafeUrls.cleanLinks(links); // documents stored before the rule too
            }
            double score = hit.name().equals(phrase) ? 1.0 : hit.name().startsWith(phrase) ? 0.8 : hit.name().contains(phrase) ? 0.6 : 0.3;
            scored.add(Map.entry(score, summary));
        }
        scored.sort((a, b) -> {
            int c = Double.compare(b.getKey(), a.getKey());
            return c != 0 ? c : a.getValue().path("name").asText().compareTo(b.getValue().path("name").asText());
        });
        for (int i = from; i < scored.size() && i < from + size; i++) {
            Map.Entry<Double, ObjectNode> e = scored.get(i);
            ObjectNode o = objects.addObject();
            o.set("package", e.getValue());
            o.put("searchScore", e.getKey());
            ObjectNode score = o.putObject("score");
            score.put("final", e.getKey());
            ObjectNode detail = score.putObject("detail");
            detail.put("quality", 1.0);
            detail.put("popularity", 1.0);
            detail.put("maintenance", 1.0);
            o.putObject("flags").put("insecure", 0);
            o.put("updated", e.getValue().path("date").asText());
        }
        out.put("total", scored.size());
        out.put("time", clock.instant().toString());
        return out;
    }

    // ---------------------------------------------------------------- rebuilding

    // ---------------------------------------------------------------- helpers

    private interface Mutation {
        void apply(WriteTx tx, Instant now);
    }

    /** A maintainer's change to a live package, with its packument rebuilt in the same transaction. */
    private void mutate(String name, Principal principal, Mutation change) {
        Instant now = now();
        store.write(tx -> {
            PackageRecord pkg = livePackage(tx, name);
            requireMaintainer(tx, name, principal);
            change.apply(tx, now);
            tx.packages().update(tx.packages().find(name).orElseThrow().touched(now));
            docs.rebuild(tx, name);
            return pkg;
        });
        docs.refresh(name, List.of());
    }

    private static PackageRecord livePackage(ReadTx tx, String name) {
        return tx.packages().find(name).filter(PackageRecord::live)
                .orElseThrow(() -> Problem.notFound("package " + clip(name) + " not found"));
    }

    /** A 404, as for a package that does not exist, unless {@code name} is live and {@code reader} may read it. */
    void requireReadable(String name, Principal reader) {
        if (!readable(name, reader)) {
            throw Problem.notFound("package " + clip(name) + " not found");
        }
    }

    /**
     * Refuses a change to a restricted package that {@code principal} may not read exactly as the
     * same change to a name that does not exist: a 404, or for a publish, first whatever the
     * scope's rule says to this caller.
     */
    public void refuseUnlessReadable(String name, Principal principal, boolean publishing) {
        if (!isRestricted(name) || readable(name, principal)) {
            return;
        }
        if (publishing) {
            store.read(tx -> {
                checkScope(tx, PackageName.parse(name), principal);
                return null;
            });
        }
        throw Problem.notFound("package " + clip(name) + " not found");
    }

    /** Whether {@code name} is live and {@code reader} (null: anyone) may read it. */
    public boolean readable(String name, Principal reader) {
        boolean exists = store.read(tx -> tx.packages().find(name).filter(PackageRecord::live).isPresent());
        return exists && (!restricted(name) || canRead(name, reader));
    }

    private static void checkRev(String name, PackageRecord pkg, String rev) {
        if (rev == null || rev.isEmpty()) {
            return;
        }
        String current = PackumentBuilder.rev(name, pkg.rev());
        if (!current.equals(rev)) {
            throw Problem.conflict("document update conflict: " + name + " has changed since revision " + clip(rev)
                    + "; fetch it again and retry");
        }
    }

    static void requireWriter(Principal principal) {
        if (principal == null) {
            throw Problem.unauthorized("you must be logged in to do this: run npm login");
        }
        if (!principal.canWrite()) {
            throw Problem.forbidden("this token is read-only");
        }
    }

    /** A writer whose credential also covers {@code name} (granular tokens name their packages and scopes). */
    static void requireWriter(Principal principal, String name) {
        Authority.requireCovers(principal, name);
    }

    static void requireMaintainer(ReadTx tx, String name, Principal principal) {
        Authority.requireMaintainer(tx, name, principal, "can only publish; it cannot change the package's settings");
    }

    private static void requireMaintainerFlag(boolean maintainer, String name) {
        if (!maintainer) {
            throw Problem.forbidden("you are not a maintainer of " + clip(name));
        }
    }

    private ObjectNode read(String text) {
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

    public static String clip(String s) {
        return Problem.clip(s);
    }
}
