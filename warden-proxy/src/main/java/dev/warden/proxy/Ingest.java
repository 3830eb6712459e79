package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.common.Problem;
import dev.warden.provenance.sigstore.NpmProvenance;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.review.Action;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.storage.Upstreams.UpstreamEvent;
import dev.warden.verify.Integrity;
import dev.warden.verify.TarballFacts;
import dev.warden.verify.trust.RegistryTrust;
import dev.warden.verify.trust.TrustException;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The ingest of one upstream version, top to bottom: fetch the tarball from the uplink, check its
 * integrity, the registry signature, the attestations, trust continuity, install scripts and the
 * release review; then decide served or held, keep the bytes, and commit the row with its
 * transparency-log statement in one transaction; log the statement after the commit.
 *
 * <p>Only bytes whose integrity held are ever kept: a mismatch stores nothing (the event {@code
 * tarball.mismatch}). A held version is kept too (its row says why, so the packument keeps naming
 * it restricted). One ingest runs at a time per name@version; a second request for it waits for the
 * first one's result. An ingested row never changes: an upstream that later gives another tarball
 * for the version is reported by {@link Judge}, and clients keep the verified bytes.
 */
final class Ingest {

    private final ProxySettings settings;
    private final MetadataStore store;
    private final BlobStore blobs;
    private final Upstream upstream;
    private final UpstreamTrust trust;
    private final long maxTarballBytes;
    private final Clock clock;
    private final SignatureCheck signatures = new SignatureCheck();
    private final ProvenanceCheck provenance;
    private final ScriptRule scripts;
    private final ReviewSignals review;
    private final IngestCommit commit;
    private final Map<String, CompletableFuture<IngestedVersion>> inFlight =
            new ConcurrentHashMap<>();

    /**
     * @param signer this registry's signature of a message ({@code keyid}, {@code sig}), as its
     *     signing keys make {@code dist.signatures}
     * @param root the Sigstore roots every provenance may be signed under (public-good)
     */
    Ingest(
            ProxySettings settings,
            MetadataStore store,
            BlobStore blobs,
            Upstream upstream,
            IngestLog log,
            Function<String, Map<String, String>> signer,
            UpstreamTrust trust,
            TrustRoot root,
            long maxTarballBytes,
            Clock clock) {
        this.settings = settings;
        this.store = store;
        this.blobs = blobs;
        this.upstream = upstream;
        this.commit = new IngestCommit(store, blobs, log, signer, clock);
        this.trust = trust;
        this.maxTarballBytes = maxTarballBytes;
        this.clock = clock;
        this.provenance = new ProvenanceCheck(upstream, root, clock);
        this.scripts = new ScriptRule(settings);
        this.review =
                new ReviewSignals(
                        new ProxyEcosystem(store), new ReviewBaseline(store, blobs, this::fetch));
    }

    /**
     * Ingests {@code name@version} of {@code upstreamDoc} (the uplink's full packument), or answers
     * the row of an earlier ingest unchanged.
     *
     * @return the row, {@code served} or {@code held} with its reason
     * @throws Problem NOT_FOUND when the packument has no such version; BAD_GATEWAY when the uplink
     *     cannot be reached or sends a tarball that is not the one its packument names
     */
    IngestedVersion ingest(Uplink uplink, String name, String version, JsonNode upstreamDoc) {
        return once(name, version, () -> flow(uplink, name, version, upstreamDoc));
    }

    /**
     * Records {@code name@version} as held for {@code reason}, which the packument alone shows
     * ({@link Judge}), without fetching its tarball: the hold then stays whatever the upstream
     * later says. A version ingested before keeps its row.
     */
    IngestedVersion hold(
            Uplink uplink, String name, String version, JsonNode upstreamDoc, String reason) {
        JsonNode dist = upstreamDoc.path("versions").path(version).path("dist");
        String integrity =
                Optional.ofNullable(UpstreamVersion.upstreamIntegrity(dist)).orElse("none");
        return once(
                name,
                version,
                () ->
                        store.read(tx -> tx.upstreams().version(name, version))
                                .orElseGet(
                                        () ->
                                                commit.held(
                                                        uplink, name, version, integrity, reason)));
    }

    /** Runs {@code work} for name@version unless it runs already: then waits for its result. */
    private IngestedVersion once(String name, String version, Supplier<IngestedVersion> work) {
        String key = name + "@" + version;
        CompletableFuture<IngestedVersion> mine = new CompletableFuture<>();
        CompletableFuture<IngestedVersion> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            IngestedVersion row = work.get();
            mine.complete(row);
            return row;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private static IngestedVersion await(CompletableFuture<IngestedVersion> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an ingest", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private IngestedVersion flow(Uplink uplink, String name, String version, JsonNode doc) {
        Optional<IngestedVersion> known = store.read(tx -> tx.upstreams().version(name, version));
        if (known.isPresent()) {
            return known.get();
        }
        JsonNode v = doc.path("versions").path(version);
        if (!v.isObject()) {
            throw Problem.notFound(name + "@" + version + " is not in uplink " + uplink.name());
        }
        String spec = name + "@" + version;
        Instant published = Continuity.time(doc, version);
        String upstreamIntegrity = UpstreamVersion.upstreamIntegrity(v.path("dist"));
        List<Integrity.Hash> expected;
        try {
            expected = Integrity.parse(upstreamIntegrity == null ? "" : upstreamIntegrity);
        } catch (IllegalArgumentException e) {
            event(uplink, "packument.invalid", name, version, e.getMessage());
            throw Problem.badGateway(
                    "uplink " + uplink.name() + " gives no usable integrity for " + spec);
        }
        // 1. The tarball, from the uplink's own origin only.
        byte[] tarball = fetch(uplink, spec, v.path("dist").path("tarball").asText(""));
        // 2. Integrity: the bytes against the packument's integrity; nothing is kept otherwise.
        TarballFacts facts = TarballFacts.of(tarball);
        Integrity.Digests digests = facts.digests();
        Integrity.Hash wrong = Integrity.mismatch(expected, digests);
        if (wrong != null) {
            event(
                    uplink,
                    "tarball.mismatch",
                    name,
                    version,
                    "the tarball's "
                            + wrong.algorithm()
                            + " is "
                            + Integrity.shorten(digests.of(wrong.algorithm()))
                            + ", the packument says "
                            + Integrity.shorten(wrong.base64()));
            throw Problem.badGateway(
                    "uplink "
                            + uplink.name()
                            + " sent a tarball for "
                            + spec
                            + " that does not have the integrity its packument gives");
        }
        Map<String, Object> verified = new LinkedHashMap<>();
        verified.put("integrity", "the tarball has " + Integrity.shorten(upstreamIntegrity));
        List<String> held = new ArrayList<>();
        // 3. The registry signature, against the uplink's keys.
        RegistryTrust keys = trustOf(uplink);
        SignatureCheck.Result signature =
                signatures.check(uplink, name, version, v, published, keys);
        verified.put("signature", describe(signature));
        SignatureCheck.hold(signature, settings, uplink).ifPresent(held::add);
        if (signature instanceof SignatureCheck.Absent a
                && settings.unsignedUpstream() == ProxySettings.UnsignedUpstream.FLAG) {
            event(uplink, "unsigned", name, version, a.why());
        }
        // 4. Provenance and the publish attestation, offline.
        ProvenanceCheck.Result attested = attestations(uplink, name, version, v, digests, keys);
        Optional<NpmProvenance> built = Optional.empty();
        byte[] attestations = null;
        switch (attested) {
            case ProvenanceCheck.None n -> {
                verified.put("provenance", "absent");
                verified.put("publishAttestation", "absent");
            }
            case ProvenanceCheck.Verified ok -> {
                built = Optional.ofNullable(ok.provenance());
                attestations = ok.document();
                verified.put(
                        "provenance", built.<Object>map(NpmProvenance::summary).orElse("absent"));
                verified.put(
                        "publishAttestation",
                        ok.publishKeyid() == null ? "absent" : "verified by " + ok.publishKeyid());
            }
            case ProvenanceCheck.Failed f -> {
                attestations = f.document();
                verified.put("provenance", "failed: " + f.reason());
                held.add(f.reason());
            }
        }
        // 5. Continuity with the newest earlier version that had provenance or a trusted publisher.
        Optional<String> broken =
                attested instanceof ProvenanceCheck.Failed
                        ? Optional.empty()
                        : Continuity.atIngest(
                                doc, version, built, earlier -> ingestedProvenance(name, earlier));
        verified.put("continuity", broken.orElse("kept"));
        broken.ifPresent(held::add);
        // 6. Install scripts, from the tarball's own package.json.
        Optional<String> scriptHold = scripts.holdFromTarball(name, version, facts);
        verified.put(
                "scripts",
                scriptHold.isPresent()
                        ? "denied"
                        : facts.unread() != null
                                ? "unread: " + facts.unread()
                                : facts.installScripts() ? "allowed" : "none");
        scriptHold.ifPresent(held::add);
        // 7. The release review, unless the version is held already.
        if (held.isEmpty()) {
            ReviewSignals.Outcome r =
                    review.review(
                            uplink,
                            name,
                            version,
                            tarball,
                            v,
                            doc,
                            built.isPresent(),
                            published == null ? clock.instant() : published);
            verified.put("review", r.detail());
            if (r.unbaselined() != null) {
                event(uplink, "review.flagged", name, version, r.unbaselined());
            }
            if (r.action().compareTo(Action.HOLD) >= 0) {
                held.add(r.reason());
            }
        } else {
            verified.put("review", "not run: held before it");
        }
        // 8. Decide; keep the verified bytes; the row and its statement in one transaction.
        return commit.commit(
                uplink,
                name,
                version,
                upstreamIntegrity,
                digests,
                tarball,
                held,
                verified,
                attestations);
    }

    private byte[] fetch(Uplink uplink, String spec, String tarballUrl) {
        if (!UpstreamVersion.sameOrigin(tarballUrl, uplink.url())) {
            throw Problem.badGateway(
                    "the tarball of "
                            + spec
                            + " is not on uplink "
                            + uplink.name()
                            + "'s origin: "
                            + Integrity.shorten(tarballUrl));
        }
        try {
            Upstream.Response r =
                    upstream.get(
                            uplink,
                            URI.create(tarballUrl),
                            "application/octet-stream",
                            null,
                            maxTarballBytes);
            if (r.status() != 200) {
                throw Problem.badGateway(
                        "uplink " + uplink.name() + " answered " + r.status() + " for " + spec);
            }
            return r.body();
        } catch (IOException e) {
            throw Problem.badGateway(
                    "uplink " + uplink.name() + " could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.badGateway("interrupted while fetching " + spec);
        }
    }

    private RegistryTrust trustOf(Uplink uplink) {
        try {
            return trust.of(uplink);
        } catch (TrustException e) {
            throw Problem.badGateway(
                    "the keys of uplink " + uplink.name() + " cannot be had: " + e.getMessage());
        }
    }

    private ProvenanceCheck.Result attestations(
            Uplink uplink,
            String name,
            String version,
            JsonNode v,
            Integrity.Digests digests,
            RegistryTrust keys) {
        try {
            return provenance.check(uplink, name, version, v, digests, keys);
        } catch (IOException e) {
            throw Problem.badGateway(
                    "uplink " + uplink.name() + " could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.badGateway("interrupted while fetching attestations");
        }
    }

    /** The provenance an earlier version's ingest verified, if it was ingested with some. */
    private Optional<NpmProvenance> ingestedProvenance(String name, String version) {
        return store.read(tx -> tx.upstreams().version(name, version))
                .flatMap(row -> UpstreamVersion.verifiedProvenance(row));
    }

    private void event(Uplink uplink, String kind, String name, String version, String detail) {
        store.write(
                tx -> {
                    tx.upstreams()
                            .addEvent(
                                    new UpstreamEvent(
                                            0,
                                            uplink.name(),
                                            kind,
                                            name,
                                            version,
                                            detail,
                                            clock.instant()));
                    return null;
                });
    }

    private static Map<String, Object> describe(SignatureCheck.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (r) {
            case SignatureCheck.Signed s -> {
                m.put("status", "verified");
                m.put("keyid", s.keyid());
            }
            case SignatureCheck.Absent a -> {
                m.put("status", "absent");
                m.put("why", a.why());
            }
            case SignatureCheck.Bad b -> {
                m.put("status", "failed");
                m.put("why", b.reason());
            }
        }
        return m;
    }
}
