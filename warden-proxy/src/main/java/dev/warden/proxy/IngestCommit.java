package dev.warden.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.verify.Integrity;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The end of an ingest: the verified bytes are kept first (content-addressed, durable before any
 * row names them), then the row and its transparency-log statement are committed in one
 * transaction, and the statement is logged after the commit, its index kept with the row. A served
 * version also gets this registry's own signature, beside the upstream's.
 */
final class IngestCommit {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore store;
    private final BlobStore blobs;
    private final IngestLog log;
    private final Function<String, Map<String, String>> signer;
    private final Clock clock;

    IngestCommit(
            MetadataStore store,
            BlobStore blobs,
            IngestLog log,
            Function<String, Map<String, String>> signer,
            Clock clock) {
        this.store = store;
        this.blobs = blobs;
        this.log = log;
        this.signer = signer;
        this.clock = clock;
    }

    /**
     * Keeps {@code tarball} and commits its row: {@code served} when nothing holds it, else {@code
     * held} with the reasons joined.
     *
     * @param verified what each check found, for the row and the statement
     * @param attestations the uplink's attestations document, or null
     * @return the row, with its log index when the statement was logged; another process's row when
     *     it ingested the version first
     */
    IngestedVersion commit(
            Uplink uplink,
            String name,
            String version,
            String upstreamIntegrity,
            Integrity.Digests digests,
            byte[] tarball,
            List<String> held,
            Map<String, Object> verified,
            byte[] attestations) {
        String blobKey = digests.sha512Hex();
        try {
            blobs.put(blobKey, tarball);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the tarball could not be stored: " + e.getMessage(), e);
        }
        boolean served = held.isEmpty();
        Instant now = clock.instant();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("uplink", uplink.name());
        detail.put("integrity", digests.sri512());
        if (!upstreamIntegrity.equals(digests.sri512())) {
            detail.put("upstreamIntegrity", upstreamIntegrity);
        }
        detail.put("verified", verified);
        ObjectNode kept = JSON.valueToTree(detail);
        if (served) {
            // This registry's own signature, beside the upstream's in dist.signatures: over the
            // integrity clients are served (the kept bytes' sha512), whatever the upstream wrote.
            Map<String, String> own = signer.apply(name + "@" + version + ":" + digests.sri512());
            if (own != null) {
                kept.set("signature", JSON.valueToTree(own));
            }
        }
        IngestedVersion row =
                new IngestedVersion(
                        name,
                        version,
                        uplink.name(),
                        digests.sri512(),
                        blobKey,
                        tarball.length,
                        served ? "served" : "held",
                        served ? null : String.join("; ", held),
                        kept.toString(),
                        attestations,
                        now,
                        null);
        return insert(row, detail);
    }

    /**
     * Commits a version the packument alone holds (no tarball fetched, none kept), so that the hold
     * stays whatever the upstream later says.
     */
    IngestedVersion held(
            Uplink uplink, String name, String version, String upstreamIntegrity, String reason) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("uplink", uplink.name());
        detail.put("integrity", upstreamIntegrity);
        detail.put("verified", Map.of("packument", reason));
        IngestedVersion row =
                new IngestedVersion(
                        name,
                        version,
                        uplink.name(),
                        upstreamIntegrity,
                        null,
                        0,
                        "held",
                        reason,
                        JSON.valueToTree(detail).toString(),
                        null,
                        clock.instant(),
                        null);
        return insert(row, detail);
    }

    private IngestedVersion insert(IngestedVersion row, Map<String, Object> detail) {
        String name = row.name();
        String version = row.version();
        boolean served = row.served();
        Instant now = row.ingested();
        record Committed(IngestedVersion row, IngestLog.Pending pending) {}
        Committed c =
                store.write(
                        tx -> {
                            if (!tx.upstreams().insertVersion(row)) {
                                // Another process ingested it first: its row stands.
                                return new Committed(
                                        tx.upstreams().version(name, version).orElseThrow(), null);
                            }
                            return new Committed(
                                    row,
                                    log.record(
                                            tx,
                                            served ? "proxy.ingested" : "proxy.held",
                                            name,
                                            version,
                                            detail,
                                            now));
                        });
        if (c.pending() == null) {
            return c.row();
        }
        // The statement is logged after the commit; its index kept with the row.
        List<Long> indexes = log.log(List.of(c.pending()));
        Long index = indexes.isEmpty() ? null : indexes.get(0);
        if (index == null) {
            return row;
        }
        store.write(
                tx -> {
                    tx.upstreams().setLogIndex(name, version, index);
                    return null;
                });
        return new IngestedVersion(
                row.name(),
                row.version(),
                row.uplink(),
                row.integrity(),
                row.blobKey(),
                row.size(),
                row.state(),
                row.reason(),
                row.verified(),
                row.attestations(),
                row.ingested(),
                index);
    }
}
