package dev.warden.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.Upstreams.Quarantine;
import dev.warden.storage.Upstreams.UpstreamEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verifying upstream proxy, as the server asks it. A name is served from an uplink only when an
 * uplink's patterns match it, it is in no internal scope, and no local package has it (local
 * packages always win: dependency confusion). What comes in is verified on ingest ({@link Ingest}),
 * aged and judged by policy, kept, and served like a local package, with tarball and attestation
 * URLs rewritten to this registry.
 *
 * <p>OWNERS (skeleton): this facade, {@link Routing}, {@link UpstreamPackuments} and {@link
 * ClientPackuments}: helper A. {@link Ingest}, {@link Judge}, {@link UpstreamTrust}: helper B.
 * {@link Quarantines}, {@link OsvFeed}: helper S.
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

    /** PLACEHOLDER until helper A lands the facade. */
    Proxy() {}

    /** True when {@code name} is served from an uplink (see the class comment). */
    public boolean serves(String name) {
        throw new UnsupportedOperationException("placeholder");
    }

    /**
     * The packument of an upstream package: from memory when fresh (no network), else revalidated
     * with the uplink. Empty when no uplink serves the name or the uplink has no such package.
     *
     * @throws dev.warden.common.Problem BAD_GATEWAY when the uplink fails and nothing is cached
     */
    public Optional<Served> packument(String name) {
        throw new UnsupportedOperationException("placeholder");
    }

    /** The packument only if it is in memory and fresh: for the I/O thread, never blocks. */
    public Served cachedPackument(String name) {
        throw new UnsupportedOperationException("placeholder");
    }

    /** One version's document (or the one a dist-tag points to), as the packument serves it. */
    public Optional<ObjectNode> version(String name, String versionOrTag) {
        throw new UnsupportedOperationException("placeholder");
    }

    /**
     * The tarball of {@code name@version}, ingested (fetched and verified) first if it is not yet.
     *
     * @throws dev.warden.common.Problem FORBIDDEN with the reason when the version is held,
     *     quarantined or younger than the minimum age; BAD_GATEWAY when the uplink fails
     */
    public Optional<Tarball> tarball(String name, String version) {
        throw new UnsupportedOperationException("placeholder");
    }

    /** The upstream's attestations document of a version, unchanged. */
    public Optional<byte[]> attestations(String name, String version) {
        throw new UnsupportedOperationException("placeholder");
    }

    /**
     * The uplinks' registry keys, as entries of npm's keys document ({@code keyid}, {@code
     * keytype}, {@code scheme}, {@code key}, {@code expires}), for {@code /-/npm/v1/keys} beside
     * this registry's own.
     */
    public List<Map<String, Object>> upstreamKeys() {
        throw new UnsupportedOperationException("placeholder");
    }

    /**
     * For a local publish of a new package: the uplink that has a package of that name, if one does
     * (a local package would shadow it).
     *
     * @throws dev.warden.common.Problem UNAVAILABLE when the uplink cannot be asked
     */
    public Optional<String> upstreamHas(String name) {
        throw new UnsupportedOperationException("placeholder");
    }

    /** Quarantines a version ("*": all) by an admin: hidden from installs, with the reason. */
    public void quarantine(String name, String version, String reason, String admin) {
        throw new UnsupportedOperationException("placeholder");
    }

    /** Lifts a quarantine; false if there was none. */
    public boolean lift(String name, String version, String admin) {
        throw new UnsupportedOperationException("placeholder");
    }

    public List<Quarantine> quarantines(int limit) {
        throw new UnsupportedOperationException("placeholder");
    }

    /** What the uplinks did that an operator should know of, newest first. */
    public List<UpstreamEvent> events(int limit) {
        throw new UnsupportedOperationException("placeholder");
    }

    /**
     * Reads the OSV feed (if configured) and quarantines its new MAL- advisories; returns how many.
     */
    public int refreshAdvisories() {
        throw new UnsupportedOperationException("placeholder");
    }
}
