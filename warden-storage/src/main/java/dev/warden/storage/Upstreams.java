package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the proxy keeps of its uplinks: each upstream packument as it was last received (with its
 * entity tag), each upstream version it ingested (the tarball's blob, what was verified, the
 * upstream's attestations kept unchanged, and whether it is served or held), quarantines, and the
 * events it reports (an uplink answering garbage, a tarball swapped under a known version).
 */
public interface Upstreams {

    // ------------------------------------------------------------------ packuments

    Optional<UpstreamPackument> packument(String name);

    /** Inserts or replaces the cached packument of {@code p.name()}. */
    void putPackument(UpstreamPackument p);

    /** Records that the uplink confirmed the cached packument unchanged (304) at {@code at}. */
    void checked(String name, Instant at);

    /**
     * An upstream packument as last received.
     *
     * @param body the full document's bytes as the uplink sent them (JSON, not compressed)
     * @param etag the uplink's ETag, or null
     * @param fetched when the body was received
     * @param checked when the uplink last confirmed it (fetched or 304)
     */
    record UpstreamPackument(
            String name,
            String uplink,
            byte[] body,
            String etag,
            Instant fetched,
            Instant checked) {}

    // ------------------------------------------------------------------ ingested versions

    Optional<IngestedVersion> version(String name, String version);

    List<IngestedVersion> versions(String name);

    /** Inserts an ingested version; an existing row for the name and version is left unchanged. */
    boolean insertVersion(IngestedVersion v);

    /** Changes a version's state and reason (an admin's release of a hold, a later hold). */
    void setState(String name, String version, String state, String reason);

    /**
     * Removes a version's row if it is held (an admin's re-check: the next request ingests it again
     * under the current policy); false when there is no held row.
     */
    boolean deleteHeld(String name, String version);

    /** Records the transparency-log index of a version's ingest statement. */
    void setLogIndex(String name, String version, long index);

    /**
     * A version fetched from an uplink and verified.
     *
     * @param integrity the tarball's {@code sha512-...} integrity (what the upstream packument gave
     *     and the bytes have)
     * @param blobKey the BlobStore key (hex sha512) of the tarball, null when the tarball was not
     *     kept (refused before it was stored)
     * @param state {@code served} or {@code held}
     * @param reason why it is held (shown to clients), or null
     * @param verified JSON object: what was verified and how (the ingest statement's detail)
     * @param attestations the upstream's attestations document, unchanged, or null
     * @param logIndex the transparency-log index of the ingest statement, or null until logged
     */
    record IngestedVersion(
            String name,
            String version,
            String uplink,
            String integrity,
            String blobKey,
            long size,
            String state,
            String reason,
            String verified,
            byte[] attestations,
            Instant ingested,
            Long logIndex) {

        public boolean served() {
            return state.equals("served");
        }
    }

    // ------------------------------------------------------------------ quarantines

    /** Quarantines of a name: of one version, or of every version ({@code version} "*"). */
    List<Quarantine> quarantines(String name);

    /** Every quarantine, newest first, at most {@code limit}. */
    List<Quarantine> quarantines(int limit);

    /** Inserts or replaces the quarantine of that name and version. */
    void quarantine(Quarantine q);

    /** Lifts it; false if there was none. */
    boolean lift(String name, String version);

    /**
     * @param version one version, or "*" for all
     * @param source who decided: {@code admin:<user>} or an advisory id ({@code MAL-...})
     */
    record Quarantine(String name, String version, String reason, String source, Instant at) {}

    // ------------------------------------------------------------------ events

    void addEvent(UpstreamEvent e);

    /** Newest first, at most {@code limit}. */
    List<UpstreamEvent> events(int limit);

    /**
     * Something an uplink did that an operator should know of.
     *
     * @param kind e.g. {@code tarball.changed}, {@code packument.invalid}, {@code key.changed},
     *     {@code uplink.unreachable}
     * @param version or null
     */
    record UpstreamEvent(
            long id,
            String uplink,
            String kind,
            String name,
            String version,
            String detail,
            Instant at) {}
}
