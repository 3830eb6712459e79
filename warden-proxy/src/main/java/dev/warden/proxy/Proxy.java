package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.Upstreams.Quarantine;
import dev.warden.storage.Upstreams.UpstreamEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The verifying upstream proxy, as the server asks it. A name is served from an uplink only when an
 * uplink's patterns match it, it is in no internal scope, and no local package has it (local
 * packages always win: dependency confusion). What comes in is verified on ingest ({@link Ingest}),
 * aged and judged by policy, kept, and served like a local package, with tarball and attestation
 * URLs rewritten to this registry.
 *
 * <p>A packument read: the rendered document in memory when fresh (no store, no network);
 * otherwise, one request per name at a time (a single flight per name), the upstream copy ({@link
 * UpstreamPackuments}: cached, revalidated or fetched) rendered for clients ({@link
 * ClientPackuments}). A name is put in memory only after the store said no local package has it; a
 * local package of that name can only appear through a publish, whose guard asks {@link
 * #upstreamHas} first, which forgets the name.
 */
public final class Proxy {

    /**
     * A packument for clients.
     *
     * @param doc full and abbreviated documents, raw and gzip, with ETags
     * @param uplink the uplink that serves the name
     * @param stale true when the uplink could not be asked and the cached copy is served
     * @param checked when the uplink last confirmed the cached copy
     */
    public record Served(PackumentRecord doc, String uplink, boolean stale, Instant checked) {}

    /** An ingested tarball, served from the BlobStore. */
    public record Tarball(String blobKey, long size, String integrity) {}

    /**
     * What the proxy is built from; the server makes it.
     *
     * @param signer signs {@code "<name>@<version>:<integrity>"} with this registry's key: {@code
     *     {keyid, sig}}
     * @param publicGood Sigstore's public-good trusted root
     * @param trustDir where uplinks' keys pinned on first use are kept ({@code <data>/proxy/trust})
     * @param publicUrl this registry's URL as clients reach it, ending in "/"
     */
    public record Parts(
            ProxySettings settings,
            MetadataStore store,
            BlobStore blobs,
            Upstream upstream,
            IngestLog log,
            Function<String, Map<String, String>> signer,
            TrustRoot publicGood,
            Path trustDir,
            String publicUrl,
            long maxTarballBytes,
            Clock clock) {

        public Parts {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(log, "log");
            Objects.requireNonNull(publicUrl, "publicUrl");
            Objects.requireNonNull(clock, "clock");
            if (!publicUrl.endsWith("/")) {
                publicUrl = publicUrl + "/";
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Parts parts;
    private final Routing routing;
    private final UplinkEvents events;
    private final UpstreamPackuments upstream;
    private final ClientPackuments clients;
    private final UpstreamVersions versions;
    private final UpstreamTrust trust;
    private final Quarantines quarantines;
    private final Recheck recheck;
    private final OsvFeed osv;
    private final Map<String, CompletableFuture<Optional<ClientPackuments.Entry>>> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Names a local package took after the proxy served them: never answered from memory. */
    private final java.util.Set<String> local = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Proxy(Parts parts) {
        this.parts = parts;
        this.routing = new Routing(parts.settings(), parts.store());
        this.events = new UplinkEvents(parts.store(), parts.clock());
        this.upstream =
                new UpstreamPackuments(parts.store(), parts.upstream(), events, parts.clock());
        this.trust =
                new UpstreamTrust(
                        parts.settings(),
                        parts.store(),
                        parts.upstream(),
                        parts.trustDir(),
                        parts.clock());
        Judge judge = new Judge(parts.settings(), parts.store(), trust, parts.clock());
        this.clients =
                new ClientPackuments(
                        parts.store(),
                        new PackumentRender(JSON, parts.publicUrl()),
                        parts.settings(),
                        judge,
                        events,
                        JSON,
                        parts.clock());
        Ingest ingest =
                new Ingest(
                        parts.settings(),
                        parts.store(),
                        parts.blobs(),
                        parts.upstream(),
                        parts.log(),
                        parts.signer(),
                        trust,
                        parts.publicGood(),
                        parts.maxTarballBytes(),
                        parts.clock());
        this.versions = new UpstreamVersions(parts, upstream, clients, ingest);
        this.quarantines = new Quarantines(parts.store(), parts.log(), parts.clock());
        this.recheck = new Recheck(parts.store(), parts.log(), parts.clock());
        this.osv =
                new OsvFeed(
                        parts.settings().osvFeed(),
                        parts.upstream(),
                        parts.store(),
                        quarantines,
                        parts.clock(),
                        OsvFeed.Limits.DEFAULT);
    }

    /** The proxy of {@code parts}' settings (which should have uplinks: else it serves nothing). */
    public static Proxy create(Parts parts) {
        for (Uplink u : parts.settings().uplinks()) {
            u.packages().forEach(NamePatterns::check);
        }
        parts.settings().minimumReleaseAgeExclude().forEach(NamePatterns::check);
        parts.settings().installScriptsAllow().forEach(NamePatterns::check);
        return new Proxy(parts);
    }

    /** True when {@code name} is served from an uplink (see the class comment). */
    public boolean serves(String name) {
        return routing.serving(name).isPresent();
    }

    /**
     * The packument of an upstream package: from memory when fresh (no network), else revalidated
     * with the uplink. Empty when no uplink serves the name or the uplink has no such package.
     *
     * @throws dev.warden.common.Problem BAD_GATEWAY when the uplink fails and nothing is cached
     */
    public Optional<Served> packument(String name) {
        if (local.contains(name)) {
            return Optional.empty();
        }
        ClientPackuments.Entry warm = clients.fresh(name);
        if (warm != null) {
            return Optional.of(served(warm));
        }
        Optional<Uplink> uplink = routing.serving(name);
        if (uplink.isEmpty()) {
            return Optional.empty();
        }
        return entry(uplink.get(), name).map(Proxy::served);
    }

    /** The packument only if it is in memory and fresh: for the I/O thread, never blocks. */
    public Served cachedPackument(String name) {
        if (local.contains(name)) {
            return null;
        }
        ClientPackuments.Entry warm = clients.fresh(name);
        return warm == null ? null : served(warm);
    }

    /**
     * One version's document (or the one a dist-tag points to), as the packument serves it.
     *
     * @throws Problem FORBIDDEN with the reason when the version is restricted or too young
     */
    public Optional<ObjectNode> version(String name, String versionOrTag) {
        Optional<Served> served = packument(name);
        if (served.isEmpty()) {
            return Optional.empty();
        }
        JsonNode full;
        try {
            full = JSON.readTree(served.get().doc().full());
        } catch (IOException e) {
            throw new IllegalStateException("a rendered packument does not parse", e);
        }
        String version = full.path("dist-tags").path(versionOrTag).asText(versionOrTag);
        JsonNode doc = full.path("versions").get(version);
        if (doc instanceof ObjectNode o) {
            return Optional.of(o);
        }
        ClientPackuments.Entry e = clients.entry(name);
        if (e != null) {
            versions.refuseIfHidden(e, name, version);
        }
        return Optional.empty();
    }

    /**
     * The tarball of {@code name@version}, ingested (fetched and verified) first if it is not yet.
     *
     * @throws dev.warden.common.Problem FORBIDDEN with the reason when the version is held,
     *     quarantined or younger than the minimum age; BAD_GATEWAY when the uplink fails
     */
    public Optional<Tarball> tarball(String name, String version) {
        Optional<Uplink> uplink = routing.serving(name);
        if (uplink.isEmpty()) {
            return Optional.empty();
        }
        return versions.tarball(uplink.get(), name, version, () -> entry(uplink.get(), name));
    }

    /** The upstream's attestations document of a version, unchanged. */
    public Optional<byte[]> attestations(String name, String version) {
        Optional<Uplink> uplink = routing.serving(name);
        if (uplink.isEmpty()) {
            return Optional.empty();
        }
        return versions.attestations(uplink.get(), name, version, () -> entry(uplink.get(), name));
    }

    /**
     * The uplinks' registry keys, as entries of npm's keys document ({@code keyid}, {@code
     * keytype}, {@code scheme}, {@code key}, {@code expires}), for {@code /-/npm/v1/keys} beside
     * this registry's own.
     */
    public List<Map<String, Object>> upstreamKeys() {
        return trust.keys();
    }

    /**
     * A local package of {@code name} was created (the registry says so after its commit): the
     * proxy forgets what it had of the name and never answers for it from memory again, so a render
     * in flight cannot bring it back.
     */
    public void forgetLocal(String name) {
        local.add(name);
        clients.forget(name);
    }

    /**
     * Another node changed what is stored of upstream package {@code name} (a new upstream body, a
     * version ingested or held, a quarantine): its packument is rendered again from the store
     * before it is served, and a render in flight is not trusted to reflect the change.
     */
    public void upstreamChanged(String name) {
        clients.invalidate(name);
    }

    /** Changes from other nodes may have been missed: every packument is rendered again first. */
    public void forgetEverything() {
        clients.invalidateAll();
    }

    /**
     * Loads every uplink's trust material (keys, roots) now: the server calls it at start on a
     * thread of its own, so the first requests do not wait for it. Failures are remembered for a
     * minute and named to the requests that need the material.
     */
    public void warmTrust() {
        trust.warm();
    }

    /**
     * For a local publish of a new package: the uplink that has a package of that name, if one does
     * (a local package would shadow it). Names in an internal scope or matched by no uplink are not
     * looked up.
     *
     * @throws dev.warden.common.Problem UNAVAILABLE when the uplink cannot be asked
     */
    public Optional<String> upstreamHas(String name) {
        clients.forget(name);
        Optional<Uplink> uplink = routing.uplinkFor(name);
        if (uplink.isEmpty()) {
            return Optional.empty();
        }
        return versions.upstreamHas(uplink.get(), name);
    }

    /** Quarantines a version ("*": all) by an admin: hidden from installs, with the reason. */
    public void quarantine(String name, String version, String reason, String admin) {
        try {
            quarantines.quarantine(name, version, reason, admin);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage()); // the admin's mistake, not the server's
        }
        clients.invalidate(name);
    }

    /** Lifts a quarantine; false if there was none. */
    public boolean lift(String name, String version, String admin) {
        boolean lifted;
        try {
            lifted = quarantines.lift(name, version, admin);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        clients.invalidate(name);
        return lifted;
    }

    /**
     * An admin's re-check of a held version: its row is removed and the next request ingests it
     * again under the current policy; false when it is not held.
     */
    public boolean recheck(String name, String version, String admin) {
        boolean removed;
        try {
            removed = recheck.recheck(name, version, admin);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        clients.invalidate(name);
        return removed;
    }

    public List<Quarantine> quarantines(int limit) {
        try {
            return quarantines.list(limit);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    /** What the uplinks did that an operator should know of, newest first. */
    public List<UpstreamEvent> events(int limit) {
        if (limit < 1) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "limit must be at least 1");
        }
        return parts.store().read(tx -> tx.upstreams().events(Math.min(limit, 1000)));
    }

    /**
     * Reads the OSV feed (if configured) and quarantines its new MAL- advisories; returns how many.
     */
    public int refreshAdvisories() {
        int added = osv.refresh();
        if (added > 0) {
            clients.invalidateAll();
        }
        return added;
    }

    /**
     * The entry of a served name: fresh from memory, or refreshed by one request per name at once
     * (a single flight: the others wait for its answer, and only for their own name's, so a slow
     * uplink answer for one name never holds up another).
     */
    private Optional<ClientPackuments.Entry> entry(Uplink uplink, String name) {
        ClientPackuments.Entry warm = clients.fresh(name);
        if (warm != null) {
            return Optional.of(warm);
        }
        CompletableFuture<Optional<ClientPackuments.Entry>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<ClientPackuments.Entry>> running =
                inFlight.putIfAbsent(name, mine);
        if (running != null) {
            return await(running);
        }
        try {
            Optional<ClientPackuments.Entry> result = refresh(uplink, name);
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(name, mine);
        }
    }

    private Optional<ClientPackuments.Entry> refresh(Uplink uplink, String name) {
        ClientPackuments.Entry warm = clients.fresh(name);
        if (warm != null) {
            return Optional.of(warm);
        }
        Optional<UpstreamPackuments.Copy> copy = upstream.get(uplink, name);
        if (copy.isEmpty()) {
            clients.forget(name);
            return Optional.empty();
        }
        return Optional.of(clients.update(uplink, name, copy.get()));
    }

    /** The answer of the request already running for the name: its value or its failure. */
    private static Optional<ClientPackuments.Entry> await(
            CompletableFuture<Optional<ClientPackuments.Entry>> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static Served served(ClientPackuments.Entry e) {
        return new Served(e.rendered().record(), e.uplink().name(), e.stale(), e.checked());
    }
}
