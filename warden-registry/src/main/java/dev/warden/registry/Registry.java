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
    private final PackumentBuilder builder;
    private final DownloadCounter downloads;
    private final Cache<String, PackumentRecord> packuments;
    private final Cache<String, Optional<TarballRef>> tarballs;

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
    private final java.util.List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Told of every committed change that an account's history (and later the transparency log)
     * records. Called after the commit, on the request's thread.
     */
    public interface Listener {
        void changed(Change change);
    }

    /** A committed change: what happened to which package, by whom. */
    public record Change(String kind, String user, String pkg, java.util.Map<String, Object> detail) {}

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Signs a version as npm's clients check it: answers {@code {keyid, sig}} over {@code <name>@<version>:<integrity>}. */
    public interface VersionSigner {
        Map<String, String> sign(String message);
    }

    private volatile VersionSigner signer;

    /** Every version published from now on carries the registry's signature in {@code dist.signatures}. */
    public void signWith(VersionSigner signer) {
        this.signer = signer;
    }

    /** Puts the signed statement of a committed change into the transparency log; answers its log index. */
    public interface Attestor {
        long attest(String statement);
    }

    private volatile Attestor attestor;

    /** Where statements of changes go; until one is set they wait in the event outbox. */
    public void attestWith(Attestor attestor) {
        this.attestor = attestor;
    }

    /** A change recorded in a transaction, to be logged once it commits. */
    record PendingEvent(long id, String kind, String pkg, String statement) {}

    /** Records a statement of a change in the transaction's event outbox. */
    void record(WriteTx tx, List<PendingEvent> out, String kind, String pkg, String version, String actor, Instant at,
            Map<String, Object> detail) {
        record(tx, out, kind, pkg, version, actor, at, detail, false);
    }

    /**
     * As above; {@code restricted} says the change is to a package that will be restricted though
     * it has no row yet (the stage of a first release published as restricted).
     */
    void record(WriteTx tx, List<PendingEvent> out, String kind, String pkg, String version, String actor, Instant at,
            Map<String, Object> detail, boolean restricted) {
        // The sequence number follows commit order (writers are serialized) and makes every
        // statement distinct, so the log never takes two changes for one.
        long seq = tx.registryEvents().nextId();
        ObjectNode st = json.createObjectNode();
        st.put("kind", kind);
        st.put("seq", seq);
        st.put("registry", settings.publicUrl());
        st.put("package", pkg);
        if (version != null) {
            st.put("version", version);
        }
        detail.forEach((k, v) -> st.set(k, json.valueToTree(v)));
        st.put("actor", actor);
        st.put("time", at.toString());
        String statement = write(st);
        if (statement.length() > MAX_STATEMENT) {
            // A log entry is at most 64 KiB: a change too large to state whole is stated by digest.
            String details = write(json.valueToTree(detail));
            detail.keySet().forEach(st::remove);
            st.put("detailSha256", Digests.sha256Hex(details.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            st.put("detailBytes", details.length());
            statement = write(st);
        }
        String opening = null;
        LogCommitments c = commitments;
        if (c != null && (restricted || tx.packages().find(pkg).filter(p -> p.access().equals("restricted")).isPresent())) {
            // the log is public: a restricted package's change goes in as a commitment its readers can open
            opening = statement;
            statement = c.commitment(json, seq, settings.publicUrl(), pkg, opening);
        }
        tx.registryEvents().add(seq, kind, pkg, version, statement, opening, at);
        out.add(new PendingEvent(seq, kind, pkg, statement));
    }

    private volatile LogCommitments commitments;

    /** Logs changes to restricted packages as commitments under keys derived from {@code commitments}' secret. */
    public void commitRestrictedWith(LogCommitments commitments) {
        this.commitments = commitments;
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
        LogCommitments c = commitments;
        boolean restricted = restricted(pkg);
        if (restricted && c != null) {
            out.put("key", java.util.Base64.getEncoder().encodeToString(c.keyOf(pkg)));
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

    /** Longest statement logged whole, in characters (its signed envelope must stay under 64 KiB). */
    private static final int MAX_STATEMENT = 8_192;

    /**
     * Logs committed changes and records where they went; a packument whose versions point to
     * their publish entries is rebuilt. A change that cannot be logged now stays in the outbox
     * for {@link #logPendingEvents}.
     */
    List<Long> log(List<PendingEvent> events) {
        return log(events, Set.of());
    }

    /**
     * As {@link #log(List)}; {@code unbuilt} names packages whose packuments the change's own
     * transaction left to be rebuilt here, once, with the log indexes in them.
     */
    private List<Long> log(List<PendingEvent> events, Set<String> unbuilt) {
        Attestor a = attestor;
        List<Long> indexes = new ArrayList<>(events.size());
        Map<Long, Long> logged = new LinkedHashMap<>();
        if (a != null) {
            for (PendingEvent e : events) {
                try {
                    long index = a.attest(e.statement());
                    logged.put(e.id(), index);
                    indexes.add(index);
                } catch (RuntimeException ex) {
                    LOG.error("could not log change {} ({} of {}); it stays queued", e.id(), e.kind(), e.pkg(), ex);
                }
            }
        }
        if (logged.isEmpty() && unbuilt.isEmpty()) {
            return indexes;
        }
        Set<String> rebuilt = new LinkedHashSet<>();
        // Log indexes and packuments are derived from what already is durable (the change and its
        // outbox row, the log entry): after a power loss the outbox logs the change again and
        // the log answers with the same index.
        store.writeDerived(tx -> {
            Set<String> toRebuild = new LinkedHashSet<>(unbuilt);
            for (PendingEvent e : events) {
                Long index = logged.get(e.id());
                if (index != null) {
                    tx.registryEvents().setLogIndex(e.id(), index);
                    if (e.kind().equals("package.published")) {
                        toRebuild.add(e.pkg());
                    }
                }
            }
            for (String pkg : toRebuild) {
                if (tx.packages().find(pkg).filter(PackageRecord::live).isPresent()) {
                    rebuild(tx, pkg);
                    rebuilt.add(pkg);
                }
            }
            return null;
        });
        rebuilt.forEach(pkg -> refreshCaches(pkg, List.of()));
        return indexes;
    }

    /** Logs changes that committed but were not logged (after a crash or a failing log); returns how many. */
    public int logPendingEvents() {
        int total = 0;
        while (attestor != null) {
            List<PendingEvent> batch = store.read(tx -> tx.registryEvents().unlogged(500)).stream()
                    .map(e -> new PendingEvent(e.id(), e.kind(), e.pkg(), e.statement()))
                    .toList();
            if (batch.isEmpty()) {
                break;
            }
            // Their packuments are rendered again whether or not the log takes them now: a publish
            // whose rendering was lost with its log index must still be visible.
            Set<String> published = new LinkedHashSet<>();
            batch.stream().filter(e -> e.kind().equals("package.published")).forEach(e -> published.add(e.pkg()));
            int logged = log(batch, published).size();
            total += logged;
            if (logged == 0 || batch.size() < 500) {
                break;
            }
        }
        return total;
    }

    void emit(String kind, String user, String pkg, java.util.Map<String, Object> detail) {
        Change c = new Change(kind, user, pkg, detail);
        for (Listener l : listeners) {
            try {
                l.changed(c);
            } catch (RuntimeException e) {
                LOG.warn("listener failed for {} of {}", kind, pkg, e);
            }
        }
    }

    public Registry(MetadataStore store, BlobStore blobs, ObjectMapper json, RegistrySettings settings, Clock clock) {
        this(store, blobs, json, settings, clock, user -> {});
    }

    public Registry(MetadataStore store, BlobStore blobs, ObjectMapper json, RegistrySettings settings, Clock clock, SensitiveGuard guard) {
        this.guard = guard;
        this.governance = new PackageGovernance(this, store, blobs, json);
        this.succession = new Succession(this, store, json);
        this.store = store;
        this.blobs = blobs;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
        this.inspector = new TarballInspector(settings.tarballLimits(), json);
        this.reconciler = new ManifestReconciler(json);
        this.builder = new PackumentBuilder(json, settings.publicUrl());
        this.downloads = new DownloadCounter(store, clock);
        this.packuments = Caffeine.newBuilder()
                .maximumWeight(settings.packumentCacheBytes())
                .weigher((String k, PackumentRecord p) -> p.full().length + p.fullGzip().length + p.abbreviated().length
                        + p.abbreviatedGzip().length + 256)
                .build();
        this.tarballs = Caffeine.newBuilder().maximumSize(100_000).build();
        this.provenance = new ProvenanceCheck(this, store, json, clock);
    }

    /**
     * Verifies provenance bundles against {@code root} (the public-good root and the instance's
     * own), matching certificate issuers to trusted publishers' CI kinds with {@code issuerOfType}.
     */
    public void verifyProvenanceWith(dev.warden.provenance.sigstore.TrustRoot root, java.util.function.BiPredicate<String, String> issuerOfType) {
        provenance.configure(root, issuerOfType);
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

    VersionSigner signer() {
        return signer;
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
        PackumentRecord cached = packuments.get(name, k -> store.read(tx -> tx.packuments().find(k)).orElse(null));
        if (cached == null) {
            return Optional.empty();
        }
        if (restricted(name) && !canRead(name, reader)) {
            return Optional.empty();
        }
        return Optional.of(cached);
    }

    private final Cache<String, Boolean> restrictedCache = Caffeine.newBuilder().maximumSize(100_000).build();

    /** Whether only maintainers may read the package. */
    public boolean isRestricted(String name) {
        return restricted(name);
    }

    private boolean restricted(String name) {
        return restrictedCache.get(name, n -> store.read(tx -> tx.packages().find(n))
                .map(p -> p.access().equals("restricted"))
                .orElse(false));
    }

    /** Whether {@code reader} may read the restricted package {@code name} (see {@link Authority#mayRead}). */
    private boolean canRead(String name, Principal reader) {
        return reader != null && store.read(tx -> Authority.mayRead(tx, name, reader));
    }

    /**
     * The documents of a public package if they are in memory, else null. Never blocks, never
     * touches storage: for answering anonymous reads on an I/O thread.
     */
    public PackumentRecord cachedPublicPackument(String name) {
        Boolean isRestricted = restrictedCache.getIfPresent(name);
        if (isRestricted == null || isRestricted) {
            return null;
        }
        return packuments.getIfPresent(name);
    }

    /** Like {@link #tarball} for an anonymous reader, but only from memory (null when unknown); the caller counts the download. */
    public TarballRef cachedPublicTarball(String name, String version) {
        Boolean isRestricted = restrictedCache.getIfPresent(name);
        if (isRestricted == null || isRestricted) {
            return null;
        }
        Optional<TarballRef> ref = tarballs.getIfPresent(name + "@" + version);
        if (ref == null || ref.isEmpty()) {
            return null;
        }
        return ref.get();
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
            return tx.versions().find(name, version).filter(VersionRecord::live).map(builder::versionDocument);
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
        Optional<TarballRef> ref = tarballs.get(name + "@" + version, k -> store.read(tx -> tx.versions()
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
     * Publishes the single version in an npm publish document ({@code PUT /:pkg}).
     *
     * @param urlName the package name from the request path
     */
    public Published publish(String urlName, ObjectNode body, Principal principal) {
        Prepared p = prepare(urlName, body, principal);
        GovernancePolicy policy = governance.policy(p.name().full());
        String held = provenance.continuity(p);
        if (policy.approvals() > 0 || held != null) {
            return governance.stage(p, body, principal, policy, false, held);
        }
        return commit(p, principal);
    }

    /**
     * A publish document checked, its tarball read and stored: all a publish needs but the write
     * that makes the version live.
     */
    record Prepared(PackageName name, String version, ObjectNode served, String integrity, String shasum, String blobKey, long size,
            TarballInspector.Facts facts, ManifestReconciler.Result reconciled, Map<String, String> requestedTags, String access,
            ProvenanceCheck.Checked provenance) {}

    /** Checks a publish document as {@link #publish} does and stores its tarball, without publishing it. */
    Prepared prepare(String urlName, ObjectNode body, Principal principal) {
        requireWriter(principal, urlName);
        PackageName name = PackageName.parse(urlName);
        String bodyName = body.path("name").asText(null);
        if (bodyName != null && !bodyName.equals(name.full())) {
            throw Problem.badRequest("package name in the body (" + clip(bodyName) + ") does not match the URL (" + name + ")");
        }
        JsonNode versionsNode = body.get("versions");
        if (!(versionsNode instanceof ObjectNode versionMap) || versionMap.size() != 1) {
            throw Problem.badRequest("a publish must carry exactly one version in \"versions\"");
        }
        String version = versionMap.fieldNames().next();
        VersionNumber.check(version);
        if (!(versionMap.get(version) instanceof ObjectNode manifest)) {
            throw Problem.badRequest("version " + clip(version) + " must be a JSON object");
        }
        if (!name.full().equals(manifest.path("name").asText()) || !version.equals(manifest.path("version").asText())) {
            throw Problem.badRequest("the manifest's name and version must be " + name + " and " + version);
        }

        byte[] tarball = attachment(body, name, version);
        byte[] sha512 = Digests.digest("SHA-512", tarball);
        String integrity = Digests.sri512(sha512);
        String shasum = Digests.hex(Digests.digest("SHA-1", tarball));
        checkIntegrity(manifest.path("dist"), integrity, sha512, shasum);

        TarballInspector.Facts facts = inspector.inspect(tarball);
        String tarName = facts.packageJson().path("name").asText(null);
        String tarVersion = facts.packageJson().path("version").asText(null);
        if (!name.full().equals(tarName) || !version.equals(tarVersion)) {
            throw Problem.badRequest("package.json in the tarball says " + clip(String.valueOf(tarName)) + "@"
                    + clip(String.valueOf(tarVersion)) + ", but the publish is for " + name + "@" + version);
        }

        // Provenance, when sent, must verify completely before anything is stored.
        ProvenanceCheck.Checked checked = provenance.check(body, name, version, tarball, facts.packageJson());

        ManifestReconciler.Result reconciled = reconciler.reconcile(manifest, facts, name);
        ObjectNode served = reconciled.manifest();
        served.put("_id", name + "@" + version);
        served.remove("_attachments");
        served.remove("dist");
        // What the registry vouches for is the registry's to write, never the publisher's.
        served.remove("_signatures");
        served.remove("_log");
        served.remove("_attestations");
        if (checked != null) {
            served.putObject("_attestations").put("predicateType", checked.facts().predicateType());
        }
        if (facts.hasShrinkwrap()) {
            served.put("_hasShrinkwrap", true);
        } else {
            served.put("_hasShrinkwrap", false);
        }
        served.remove("gitHead");
        VersionSigner vs = signer;
        if (vs != null) {
            Map<String, String> sig = vs.sign(name.full() + "@" + version + ":" + integrity);
            served.putArray("_signatures").addObject().put("keyid", sig.get("keyid")).put("sig", sig.get("sig"));
        }
        String blobKey = Digests.hex(sha512);
        Map<String, String> requestedTags = requestedTags(body, version);
        String access = accessOf(body, name);

        if (principal.publisher() == null) {
            guard.check(principal.user());
        }
        // Refuse what the transaction would refuse before writing any bytes (checked again inside it).
        store.read(tx -> {
            checkCanPublish(tx, name, version, principal, now(), true);
            return null;
        });

        // Durable bytes first: a crash after this leaves an unreferenced blob, never a dangling version.
        try {
            blobs.put(blobKey, tarball);
        } catch (IOException e) {
            throw new UncheckedIOException("storing tarball", e);
        }
        return new Prepared(name, version, served, integrity, shasum, blobKey, tarball.length, facts, reconciled, requestedTags, access,
                checked);
    }

    /**
     * The manifest a release of {@code tarball} with the uploaded {@code manifest} is served with,
     * by the same inspection and reconciliation as {@link #prepare}: what a stage's review shows.
     */
    ObjectNode servedManifest(PackageName name, ObjectNode manifest, byte[] tarball) {
        return reconciler.reconcile(manifest, inspector.inspect(tarball), name).manifest();
    }

    /** Makes a prepared version live. */
    Published commit(Prepared p, Principal principal) {
        return commit(p, principal, false);
    }

    /** @param approved whether maintainers approved it as a stage (then a stage-only trusted publisher's release may go live) */
    Published commit(Prepared p, Principal principal, boolean approved) {
        PackageName name = p.name();
        String version = p.version();
        ObjectNode served = p.served();
        String integrity = p.integrity();
        String shasum = p.shasum();
        String blobKey = p.blobKey();
        TarballInspector.Facts facts = p.facts();
        ManifestReconciler.Result reconciled = p.reconciled();
        Map<String, String> requestedTags = p.requestedTags();
        String access = p.access();
        Instant now = now();
        List<PendingEvent> events = new ArrayList<>(1);
        // With a log, the packument is rendered once, after the append, with the entry's index in it.
        boolean deferRebuild = attestor != null;
        store.write(tx -> {
            checkCanPublish(tx, name, version, principal, now, approved);
            Optional<PackageRecord> existing = tx.packages().find(name.full());
            PackageRecord pkg;
            if (existing.isEmpty() || !existing.get().live()) {
                if (name.scope() != null) {
                    tx.scopes().claim(name.scope(), principal.user(), now);
                }
                pkg = existing.isPresent()
                        ? new PackageRecord(name.full(), now, now, existing.get().rev() + 1, access, null)
                        : new PackageRecord(name.full(), now, now, 1, access, null);
                if (existing.isPresent()) {
                    tx.packages().update(pkg);
                } else {
                    tx.packages().insert(pkg);
                }
                tx.maintainers().add(name.full(), principal.user(), now);
            } else {
                pkg = existing.get().touched(now);
                tx.packages().update(pkg);
            }
            putPublisher(tx, served, principal);
            ArrayNode maint = served.putArray("maintainers");
            for (String m : tx.maintainers().of(name.full())) {
                maint.addObject().put("name", m).put("email", tx.users().find(m).map(UserRecord::email).orElse(""));
            }
            tx.versions().insert(new VersionRecord(
                    name.full(), version, write(served), integrity, shasum, blobKey, p.size(), facts.fileCount(),
                    facts.unpackedSize(), now, principal.user(), null,
                    reconciled.differences() == null ? null : write(reconciled.differences()), null));
            tx.dependencies().put(name.full(), version, dependencyNames(served));
            Map<String, String> tags = tx.tags().of(name.full());
            requestedTags.forEach((tag, v) -> tx.tags().put(name.full(), tag, v));
            if (!tags.containsKey("latest") && !requestedTags.containsKey("latest")) {
                tx.tags().put(name.full(), "latest", version);
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("integrity", integrity);
            detail.put("shasum", shasum);
            Map<String, String> moved = new LinkedHashMap<>();
            tx.tags().of(name.full()).forEach((tag, v) -> {
                if (v.equals(version)) {
                    moved.put(tag, v);
                }
            });
            detail.put("tags", moved);
            if (principal.publisher() != null) {
                detail.put("trustedPublisher", served.path("_npmUser").path("trustedPublisher"));
            }
            if (p.provenance() != null) {
                tx.provenances().put(provenance.record(p, now));
                detail.put("provenance", ProvenanceCheck.summary(p.provenance().facts()));
            }
            record(tx, events, "package.published", name.full(), version, principal.user(), now, detail);
            if (!deferRebuild) {
                rebuild(tx, name.full());
            }
            return null;
        });
        List<Long> logIndexes = log(events, deferRebuild ? Set.of(name.full()) : Set.of());
        if (deferRebuild) {
            tarballs.invalidate(name.full() + "@" + version); // log() installed the new packument
        } else {
            refreshCaches(name.full(), List.of(version));
        }
        if (reconciled.differences() != null) {
            LOG.warn("manifest confusion in {}@{}: {}", name, version, reconciled.differences());
        }
        LOG.info("published {}@{} by {}", name, version, principal.user());
        if (principal.publisher() == null) {
            // an account's history; a trusted publisher's publish is in the transparency log and the packument
            emit("package.published", principal.user(), name.full(), java.util.Map.of("version", version, "integrity", integrity));
        }
        return new Published(name.full(), version, integrity, reconciled.differences(), logIndexes);
    }

    /**
     * Who published, as npm shows it: the account, or for a trusted publisher's CI job, the CI's
     * name with the configuration it matched and the build it came from ({@code trustedPublisher}).
     */
    private void putPublisher(ReadTx tx, ObjectNode served, Principal principal) {
        ObjectNode npmUser = served.putObject("_npmUser");
        Principal.Publisher publisher = principal.publisher();
        if (publisher == null) {
            UserRecord user = tx.users().find(principal.user()).orElseThrow();
            npmUser.put("name", user.name()).put("email", user.email());
            return;
        }
        npmUser.put("name", TrustedPublishing.publisherName(publisher.type())).put("email", TrustedPublishing.publisherEmail(publisher.type()));
        ObjectNode trusted = npmUser.putObject("trustedPublisher");
        trusted.put("id", publisher.type());
        trusted.put("oidcConfigId", publisher.trustId());
        read(publisher.identity()).properties().forEach(e -> {
            if (!trusted.has(e.getKey())) {
                trusted.set(e.getKey(), e.getValue());
            }
        });
    }

    /** Every reason a publish of {@code name@version} by {@code principal} would be refused, short of the bytes. */
    private void checkCanPublish(ReadTx tx, PackageName name, String version, Principal principal, Instant now, boolean stageAllowed) {
        Optional<PackageRecord> existing = tx.packages().find(name.full());
        if (principal.publisher() != null) {
            // a trusted publisher publishes in place of the maintainers
            checkTrustedPublisher(tx, name.full(), principal.publisher(), existing.filter(PackageRecord::live).isPresent(), stageAllowed);
        } else if (existing.isEmpty() || !existing.get().live()) {
            if (existing.isPresent() && existing.get().unpublished().plus(settings.republishBlock()).isAfter(now)) {
                throw Problem.forbidden(name + " was unpublished less than "
                        + settings.republishBlock().toHours() + " hours ago and cannot be published again yet");
            }
            checkScope(tx, name, principal);
        } else {
            if (!Authority.mayRead(tx, name.full(), principal)) {
                checkScope(tx, name, principal); // as for a name that does not exist: the scope's rule answers first
            }
            requireMaintainer(tx, name.full(), principal);
            if (tx.packageMfa().find(name.full()).filter(PackageMfa.Policy::requireTrustedPublisher).isPresent()) {
                throw Problem.forbidden(name + " may be published only by its trusted publisher (see npm trust list " + name
                        + "): publishes with a token are refused, even with two-factor authentication");
            }
        }
        Optional<VersionRecord> previous = tx.versions().find(name.full(), version);
        if (previous.isPresent()) {
            throw Problem.conflict(previous.get().live()
                    ? "cannot publish over the previously published version " + version + " of " + name
                    : "version " + version + " of " + name + " was unpublished and can never be published again");
        }
    }

    private byte[] attachment(ObjectNode body, PackageName name, String version) {
        JsonNode attachments = body.get("_attachments");
        if (!(attachments instanceof ObjectNode map) || map.isEmpty()) {
            throw Problem.badRequest("a publish must carry the tarball in \"_attachments\"");
        }
        String expected = name.full() + "-" + version + ".tgz";
        String bundle = name.full() + "-" + version + ".sigstore";
        for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals(expected) && !k.equals(bundle)) {
                throw Problem.badRequest("attachment must be named " + expected + " (and optionally " + bundle + "), not " + clip(k));
            }
        }
        if (!map.has(expected)) {
            throw Problem.badRequest("attachment must be named " + expected);
        }
        String key = expected;
        JsonNode data = map.get(key).get("data");
        if (data == null || !data.isTextual()) {
            throw Problem.badRequest("attachment " + expected + " has no base64 \"data\"");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data.asText());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("attachment data is not valid base64");
        }
        JsonNode length = map.get(key).get("length");
        if (length != null && length.isNumber() && length.asLong() != bytes.length) {
            throw Problem.badRequest("attachment length " + length.asLong() + " does not match its data (" + bytes.length + " bytes)");
        }
        if (bytes.length == 0) {
            throw Problem.badRequest("attachment is empty");
        }
        return bytes;
    }

    private static void checkIntegrity(JsonNode dist, String integrity, byte[] sha512, String shasum) {
        String claimed = dist.path("integrity").asText("");
        String claimedSha1 = dist.path("shasum").asText("");
        if (claimed.isEmpty() && claimedSha1.isEmpty()) {
            throw Problem.badRequest("dist.integrity is required");
        }
        if (!claimed.isEmpty()) {
            boolean anySha512 = false;
            for (String part : claimed.trim().split("\\s+")) {
                if (part.startsWith("sha512-")) {
                    anySha512 = true;
                    String claimedB64 = part.substring("sha512-".length()).replaceAll("\\?.*$", "");
                    byte[] claimedBytes;
                    try {
                        claimedBytes = Base64.getDecoder().decode(claimedB64);
                    } catch (IllegalArgumentException e) {
                        throw Problem.badRequest("dist.integrity is not a valid sha512 integrity string");
                    }
                    if (!Digests.constantTimeEquals(claimedBytes, sha512)) {
                        throw Problem.badRequest("integrity mismatch: dist.integrity says " + clip(part) + " but the tarball is " + integrity);
                    }
                }
            }
            if (!anySha512) {
                throw Problem.badRequest("dist.integrity must include a sha512 hash");
            }
        }
        if (!claimedSha1.isEmpty() && !claimedSha1.equalsIgnoreCase(shasum)) {
            throw Problem.badRequest("shasum mismatch: dist.shasum says " + clip(claimedSha1) + " but the tarball is " + shasum);
        }
    }

    private static Map<String, String> requestedTags(ObjectNode body, String version) {
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode node = body.get("dist-tags");
        if (node != null && !node.isObject()) {
            throw Problem.badRequest("\"dist-tags\" must be an object");
        }
        if (node != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                checkTag(e.getKey());
                if (!version.equals(e.getValue().asText())) {
                    throw Problem.badRequest("dist-tag " + clip(e.getKey()) + " must point to the version being published");
                }
                tags.put(e.getKey(), version);
            }
        }
        return tags;
    }

    private static String accessOf(ObjectNode body, PackageName name) {
        JsonNode access = body.get("access");
        if (access == null || access.isNull()) {
            return "public";
        }
        String value = access.asText();
        if (!value.equals("public") && !value.equals("restricted")) {
            throw Problem.badRequest("access must be \"public\" or \"restricted\"");
        }
        if (value.equals("restricted") && name.scope() == null) {
            throw Problem.badRequest("only scoped packages can be restricted");
        }
        return value;
    }

    private static Set<String> dependencyNames(ObjectNode manifest) {
        Set<String> names = new TreeSet<>();
        for (String field : List.of("dependencies", "optionalDependencies", "peerDependencies")) {
            manifest.path(field).fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /**
     * Who may publish a new package in a scope: its holder (the first publisher in it, recorded
     * for good), or a maintainer of a live package in it. A scope nobody holds yet may be taken by
     * the user of that name, or by anyone when no user has that name.
     */
    private static void checkScope(ReadTx tx, PackageName name, Principal principal) {
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
        requireWriter(principal, name);
        checkTag(tag);
        VersionNumber.check(version);
        if (tag.equals("latest")) {
            String current = store.read(tx -> tx.tags().of(name).get("latest"));
            if (current != null && VersionNumber.ORDER.compare(version, current) < 0) {
                governance.hold(name, "dist-tag", "moving latest down from " + current + " to " + version,
                        Map.of("tag", tag, "version", version), principal);
            }
        }
        List<PendingEvent> events = new ArrayList<>(1);
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
            record(tx, events, "dist-tag.set", name, version, principal.user(), now, detail);
        });
        return log(events);
    }

    public List<Long> removeDistTag(String name, String tag, Principal principal) {
        requireWriter(principal, name);
        if (tag.equals("latest")) {
            throw Problem.badRequest("the latest tag cannot be removed");
        }
        List<PendingEvent> events = new ArrayList<>(1);
        mutate(name, principal, (tx, now) -> {
            String previous = tx.tags().of(name).get(tag);
            if (previous == null) {
                throw Problem.notFound("dist-tag " + clip(tag) + " does not exist on " + name);
            }
            tx.tags().remove(name, tag);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("tag", tag);
            detail.put("previous", previous);
            record(tx, events, "dist-tag.removed", name, null, principal.user(), now, detail);
        });
        return log(events);
    }

    private static void checkTag(String tag) {
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
        holdVersionChanges(name, body, principal);
        List<String> affected = new ArrayList<>();
        List<java.util.Map<String, Object>> ownerChanges = new ArrayList<>(1);
        List<PendingEvent> events = new ArrayList<>(2);
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
                int approvals = ownerChange == null ? 0 : governance.policy(tx, name).approvals();
                if (ownerChange != null && approvals > 0) {
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
                    record(tx, events, "package.owners-changed", name, null, principal.user(), now, ownerChange);
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
                        record(tx, events, "package.unpublished", name, null, principal.user(), now,
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
                    record(tx, events, "package.unpublished", name, null, principal.user(), now,
                            Map.of("versions", List.copyOf(affected), "whole", false, "tags", tx.tags().of(name)));
                    changed = true;
                }
            }
            if (changed) {
                tx.packages().update(pkg.touched(now));
                rebuild(tx, name);
            }
            return null;
        });
        if (removedAll[0]) {
            dropCaches(name, affected);
        } else {
            refreshCaches(name, affected);
        }
        List<Long> indexes = log(events);
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
    private void holdVersionChanges(String name, ObjectNode body, Principal principal) {
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
        String what = (deprecate.isEmpty() ? "" : "deprecating " + String.join(", ", iterable(deprecate.fieldNames())))
                + (!deprecate.isEmpty() && !unpublish.isEmpty() ? " and " : "")
                + (unpublish.isEmpty() ? "" : "unpublishing " + String.join(", ", unpublish));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("deprecate", deprecate);
        payload.put("unpublish", unpublish);
        governance.hold(name, "versions", what, payload, principal);
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
    List<Long> applyVersionChanges(String name, JsonNode deprecate, List<String> unpublish, Principal requester) {
        ObjectNode body = json.createObjectNode();
        body.put("_id", name);
        ObjectNode versions = body.putObject("versions");
        Map<String, String> tags = store.read(tx -> {
            for (VersionRecord v : tx.versions().all(name)) {
                if (v.live() && !unpublish.contains(v.version())) {
                    ObjectNode o = versions.putObject(v.version());
                    JsonNode d = deprecate.get(v.version());
                    String message = d != null ? d.asText() : v.deprecated();
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
        return updateDocument(name, null, body, requester).logIndexes();
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
        List<PendingEvent> events = new ArrayList<>(1);
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
            record(tx, events, "package.owners-changed", name, null, requester, now, detail);
            tx.packages().update(tx.packages().find(name).orElseThrow().touched(now));
            rebuild(tx, name);
            return c;
        });
        refreshCaches(name, List.of());
        emit("package.owners-changed", requester, name, change);
        return log(events);
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
        governance.hold(name, "unpublish", "unpublishing the whole package", Map.of(), principal);
        requireWriter(principal, name);
        requireReadable(name, principal);
        Instant now = now();
        List<PendingEvent> events = new ArrayList<>(1);
        List<String> versions = store.write(tx -> {
            PackageRecord pkg = livePackage(tx, name);
            checkRev(name, pkg, rev);
            requireMaintainer(tx, name, principal);
            List<VersionRecord> live = tx.versions().all(name).stream().filter(VersionRecord::live).toList();
            checkUnpublishAllowed(tx, pkg, live, now);
            unpublishWhole(tx, pkg, now);
            List<String> gone = live.stream().map(VersionRecord::version).toList();
            record(tx, events, "package.unpublished", name, null, principal.user(), now, Map.of("versions", gone, "whole", true));
            return gone;
        });
        dropCaches(name, versions);
        LOG.info("unpublished {} by {}", name, principal.user());
        List<Long> indexes = log(events);
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
        requireWriter(principal, name);
        if (!"public".equals(access) && !"restricted".equals(access) && !"private".equals(access)) {
            throw Problem.badRequest("access must be public or private");
        }
        String value = "private".equals(access) ? "restricted" : access;
        if (value.equals("restricted") && PackageName.parse(name).scope() == null) {
            throw Problem.badRequest("only scoped packages can be made private");
        }
        if (!value.equals(store.read(tx -> tx.packages().find(name).map(PackageRecord::access).orElse(value)))) {
            governance.hold(name, "access", "changing its access to " + value, Map.of("access", value), principal);
        }
        store.read(tx -> {
            livePackage(tx, name);
            requireMaintainer(tx, name, principal); // before the cache below: a refused caller must change nothing, not even it
            return null;
        });
        if (value.equals("restricted")) {
            restrictedCache.put(name, true); // never serve anonymously while the change commits
        }
        try {
            mutate(name, principal, (tx, now) -> tx.packages().update(tx.packages().find(name).orElseThrow().withAccess(value)));
        } finally {
            restrictedCache.invalidate(name);
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

    /** Sets the two-factor rule; the trusted-publishing rule stays as it is. */
    public void setMfaPolicy(String name, boolean publishRequiresTfa, boolean automationOverrides, Principal principal) {
        requireWriter(principal, name);
        PackageMfa.Policy rule = store.read(tx -> tx.packageMfa().find(name)).orElse(PackageMfa.Policy.NONE);
        boolean looser = (rule.publishRequiresTfa() && !publishRequiresTfa) || (!rule.automationOverrides() && automationOverrides);
        if (looser) {
            governance.hold(name, "mfa", "relaxing its two-factor rule", Map.of("publishRequiresTfa", publishRequiresTfa,
                    "automationOverrides", automationOverrides), principal);
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
    private static void checkTrustedPublisher(ReadTx tx, String pkg, Principal.Publisher publisher, boolean live, boolean stageAllowed) {
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
        requireWriter(principal, name);
        requirePerson(principal);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("type", config.type());
        cfg.put("claims", config.claims());
        cfg.put("permissions", config.permissions());
        governance.hold(name, "trusted-publisher-add", "adding a " + config.type() + " trusted publisher", Map.of("config", cfg), principal);
        List<PendingEvent> events = new ArrayList<>(1);
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
            record(tx, events, "package.trusted-publisher-added", name, null, principal.user(), now, trustDetail(t));
            return t;
        });
        emit("package.trusted-publisher-added", principal.user(), name, Map.of("id", added.id(), "type", added.type()));
        return new Changed<>(added, log(events));
    }

    /** Removes a trusted publisher ({@code npm trust revoke}); tokens already issued to it stop working at once. */
    public List<Long> removeTrustedPublisher(String name, String id, Principal principal) {
        requireWriter(principal, name);
        requirePerson(principal);
        if (store.read(tx -> tx.trustedPublishers().find(name, id)).isPresent()) {
            governance.hold(name, "trusted-publisher-remove", "removing trusted publisher " + clip(id), Map.of("id", id), principal);
        }
        List<PendingEvent> events = new ArrayList<>(1);
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
            record(tx, events, "package.trusted-publisher-removed", name, null, principal.user(), now(), trustDetail(t));
            return null;
        });
        emit("package.trusted-publisher-removed", principal.user(), name, Map.of("id", id));
        return log(events);
    }

    /** Turns on or off the rule that only a trusted publisher may publish {@code name}. */
    public List<Long> requireTrustedPublisher(String name, boolean required, Principal principal) {
        requireWriter(principal, name);
        requirePerson(principal);
        if (!required && store.read(tx -> tx.packageMfa().find(name)).map(PackageMfa.Policy::requireTrustedPublisher).orElse(false)) {
            governance.hold(name, "trusted-publishing-optional", "no longer requiring trusted publishing", Map.of(), principal);
        }
        List<PendingEvent> events = new ArrayList<>(1);
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
            record(tx, events, "package.policy-changed", name, null, principal.user(), now(), Map.of("requireTrustedPublisher", required));
            return null;
        });
        return log(events);
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
    private static void requirePerson(Principal principal) {
        if (principal.publisher() != null) {
            throw Problem.forbidden("a trusted publisher's token can only publish; it cannot change the package's settings");
        }
    }

    private volatile OrgChanges orgChanges;

    /** Routes organization changes through the registry, which holds those that would add an approver to a governed package. */
    public void governOrganizations(dev.warden.accounts.Organizations orgs) {
        this.orgChanges = new OrgChanges(this, store, orgs, json);
    }

    /** Changes to organizations' members, roles, teams and grants (see {@link OrgChanges}). */
    public OrgChanges organizations() {
        OrgChanges o = orgChanges;
        if (o == null) {
            throw new IllegalStateException("organizations are not governed by this registry: call governOrganizations first");
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

    /** Rebuilds the documents of every live package (after a change of public URL or format). */
    public int rebuildAll() {
        List<String> names = store.read(tx -> tx.packages().names(null));
        for (String name : names) {
            store.write(tx -> {
                rebuild(tx, name);
                return null;
            });
        }
        packuments.invalidateAll();
        tarballs.invalidateAll();
        return names.size();
    }

    private void rebuild(WriteTx tx, String name) {
        PackageRecord pkg = tx.packages().find(name).orElseThrow();
        List<VersionRecord> versions = tx.versions().all(name);
        List<Map.Entry<String, String>> maintainers = tx.maintainers().of(name).stream()
                .map(u -> Map.entry(u, tx.users().find(u).map(UserRecord::email).orElse("")))
                .toList();
        PackumentRecord doc = builder.build(
                new PackumentBuilder.Inputs(pkg, versions, tx.tags().of(name), maintainers, tx.stars().of(name),
                        tx.registryEvents().publishIndexes(name)));
        tx.packuments().put(doc);
        String latest = tx.tags().of(name).get("latest");
        versions.stream().filter(v -> v.live() && v.version().equals(latest)).findFirst().ifPresent(v -> {
            ObjectNode manifest = read(v.manifest());
            ObjectNode summary = json.createObjectNode();
            summary.put("name", name);
            PackageName pn = PackageName.parse(name);
            summary.put("scope", pn.scope() == null ? "unscoped" : pn.scope());
            summary.put("version", v.version());
            if (manifest.hasNonNull("description")) {
                summary.set("description", manifest.get("description"));
            }
            ArrayNode keywords = summary.putArray("keywords");
            JsonNode kw = manifest.get("keywords");
            if (kw != null && kw.isArray()) {
                kw.forEach(k -> keywords.add(k.asText()));
            }
            summary.put("date", v.published().toString());
            ObjectNode links = summary.putObject("links");
            links.put("npm", settings.publicUrl().replaceAll("/$", "") + "/-/web/package/" + name);
            if (manifest.path("homepage").isTextual()) {
                links.put("homepage", manifest.get("homepage").asText());
            }
            JsonNode repo = manifest.get("repository");
            if (repo != null) {
                links.put("repository", repo.isTextual() ? repo.asText() : repo.path("url").asText());
            }
            if (manifest.hasNonNull("license")) {
                summary.set("license", manifest.get("license"));
            }
            summary.putObject("publisher").put("username", v.publisher())
                    .put("email", tx.users().find(v.publisher()).map(UserRecord::email).orElse(""));
            ArrayNode ms = summary.putArray("maintainers");
            maintainers.forEach(m -> ms.addObject().put("username", m.getKey()).put("email", m.getValue()));
            StringBuilder text = new StringBuilder(name).append(' ');
            text.append(manifest.path("description").asText("")).append(' ');
            keywords.forEach(k -> text.append(k.asText()).append(' '));
            maintainers.forEach(m -> text.append(m.getKey()).append(' '));
            tx.search().put(name, text.toString(), write(summary));
        });
    }

    /**
     * After a committed change: installs the newest documents (two writers may finish in either
     * order; the higher revision wins) and forgets what is known about the affected versions'
     * tarballs. Caffeine's per-key operations wait for a load of the same key in progress, so a
     * reader that loaded the old state before the commit cannot overwrite what comes after.
     */
    private void refreshCaches(String name, List<String> versions) {
        PackumentRecord doc = store.read(tx -> tx.packuments().find(name)).orElse(null);
        if (doc == null) {
            packuments.invalidate(name);
        } else {
            packuments.asMap().compute(name, (k, old) -> old == null || old.rev() <= doc.rev() ? doc : old);
        }
        versions.forEach(v -> tarballs.invalidate(name + "@" + v));
        restrictedCache.invalidate(name);
    }

    private void dropCaches(String name, List<String> versions) {
        packuments.invalidate(name);
        versions.forEach(v -> tarballs.invalidate(name + "@" + v));
        restrictedCache.invalidate(name);
    }

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
            rebuild(tx, name);
            return pkg;
        });
        refreshCaches(name, List.of());
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

    private static void requireWriter(Principal principal) {
        if (principal == null) {
            throw Problem.unauthorized("you must be logged in to do this: run npm login");
        }
        if (!principal.canWrite()) {
            throw Problem.forbidden("this token is read-only");
        }
    }

    /** A writer whose credential also covers {@code name} (granular tokens name their packages and scopes). */
    private static void requireWriter(Principal principal, String name) {
        Authority.requireCovers(principal, name);
    }

    private static void requireMaintainer(ReadTx tx, String name, Principal principal) {
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
