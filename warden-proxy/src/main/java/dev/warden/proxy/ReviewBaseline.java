package dev.warden.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.common.Problem;
import dev.warden.review.Subject;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.verify.Integrity;
import dev.warden.verify.TarballFacts;

import org.semver4j.Semver;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The release the review compares an upstream version with: the highest lower version published
 * before it (by the upstream's time). Its bytes are the ingested blob when there is one; else a
 * blob kept under the upstream's sha512 (a version held from its packument keeps none, another may
 * have been kept without a row); else fetched from the uplink, checked against its upstream
 * integrity and neither served nor kept. A version this proxy holds is no baseline: what a held
 * release added must not count as known in the next one.
 */
final class ReviewBaseline {

    private final MetadataStore store;
    private final BlobStore blobs;
    private final Fetch fetch;

    /** How a tarball is fetched from an uplink (its origin only, within the size limit). */
    interface Fetch {
        /**
         * @throws Problem when the uplink cannot give it
         */
        byte[] tarball(Uplink uplink, String spec, String url);
    }

    ReviewBaseline(MetadataStore store, BlobStore blobs, Fetch fetch) {
        this.store = store;
        this.blobs = blobs;
        this.fetch = fetch;
    }

    /** The release before {@code version} with its verified bytes, or null when there is none. */
    Subject.Previous of(Uplink uplink, String name, String version, JsonNode doc) {
        Instant at = Continuity.time(doc, version);
        if (at == null) {
            return null;
        }
        Semver self = Semver.parse(version);
        if (self == null) {
            return null;
        }
        // The release this one follows in its own line: the highest lower version published
        // before it. The newest by time alone would often be a patch of an old major line
        // (mongoose publishes 2.x, 6.x and 8.x patches side by side), where everything looks new.
        String before = null;
        Semver beforeVersion = null;
        for (Iterator<String> it = doc.path("versions").fieldNames(); it.hasNext(); ) {
            String v = it.next();
            Instant t = Continuity.time(doc, v);
            Semver sv = Semver.parse(v);
            if (t != null
                    && t.isBefore(at)
                    && sv != null
                    && sv.isLowerThan(self)
                    && (beforeVersion == null || sv.isGreaterThan(beforeVersion))) {
                before = v;
                beforeVersion = sv;
            }
        }
        if (before == null) {
            return null;
        }
        String prior = before;
        String spec = name + "@" + prior;
        Optional<IngestedVersion> row = store.read(tx -> tx.upstreams().version(name, prior));
        if (row.isPresent() && !row.get().served()) {
            return null;
        }
        JsonNode manifest = doc.path("versions").path(before);
        byte[] bytes =
                row.isPresent() && row.get().blobKey() != null
                        ? readBlob(row.get().blobKey())
                        : fromUplink(uplink, spec, manifest.path("dist"));
        if (bytes == null || !manifest.isObject()) {
            return null;
        }
        JsonNode own = TarballFacts.packageJson(bytes);
        return new Subject.Previous(
                before,
                bytes,
                own != null && own.isObject() ? own : manifest,
                row.flatMap(UpstreamVersion::verifiedProvenance).isPresent(),
                Continuity.trustedPublisher(manifest),
                manifest.path("_npmUser").path("name").asText("unknown"));
    }

    /** The bytes the upstream integrity names: kept already, or fetched and checked; else null. */
    private byte[] fromUplink(Uplink uplink, String spec, JsonNode dist) {
        List<Integrity.Hash> expected;
        try {
            expected =
                    Integrity.parse(
                            Optional.ofNullable(UpstreamVersion.upstreamIntegrity(dist))
                                    .orElse(""));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (expected.isEmpty()) {
            return null;
        }
        for (Integrity.Hash h : expected) {
            if (h.algorithm().equals("sha512")) {
                byte[] kept = readBlob(hex(h.base64()));
                if (kept != null
                        && Integrity.mismatch(expected, Integrity.Digests.of(kept)) == null) {
                    return kept;
                }
            }
        }
        byte[] fetched;
        try {
            fetched = fetch.tarball(uplink, spec, dist.path("tarball").asText(""));
        } catch (Problem e) {
            return null;
        }
        return Integrity.mismatch(expected, Integrity.Digests.of(fetched)) == null ? fetched : null;
    }

    private static String hex(String base64) {
        try {
            return java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private byte[] readBlob(String key) {
        try {
            Optional<BlobStore.Blob> b = blobs.get(key);
            if (b.isEmpty()) {
                return null;
            }
            try (InputStream in = b.get().open()) {
                return in.readAllBytes();
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
