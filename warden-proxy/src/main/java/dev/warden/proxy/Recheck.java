package dev.warden.proxy;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.IngestedVersion;

import org.semver4j.Semver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An administrator's re-check of a held version: a hold is a row that never changes by itself, so
 * one made by an earlier policy (or a check that has since been fixed) would last forever. The row
 * is removed with a statement {@code proxy.recheck} naming the admin, and the next request for the
 * version ingests it again under the current policy.
 */
final class Recheck {

    private static final Logger LOG = LoggerFactory.getLogger(Recheck.class);

    private final MetadataStore store;
    private final IngestLog log;
    private final Clock clock;

    Recheck(MetadataStore store, IngestLog log, Clock clock) {
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Removes the held row of {@code name@version}; false when there is none.
     *
     * @throws IllegalArgumentException when the version is not a canonical version number
     */
    boolean recheck(String name, String version, String admin) {
        Semver v = Semver.parse(version);
        if (v == null || !v.getVersion().equals(version)) {
            throw new IllegalArgumentException(
                    "invalid version \"" + version + "\": a version like 1.2.3");
        }
        Instant now = clock.instant();
        Optional<IngestLog.Pending> pending =
                store.write(
                        tx -> {
                            Optional<IngestedVersion> row = tx.upstreams().version(name, version);
                            if (row.isEmpty()
                                    || row.get().served()
                                    || !tx.upstreams().deleteHeld(name, version)) {
                                return Optional.empty();
                            }
                            Map<String, Object> detail = new LinkedHashMap<>();
                            detail.put("by", "admin:" + admin);
                            detail.put("reason", row.get().reason());
                            return Optional.of(
                                    log.record(tx, "proxy.recheck", name, version, detail, now));
                        });
        if (pending.isEmpty()) {
            return false;
        }
        LOG.info("proxy.recheck {}@{} by {}", name, version, admin);
        try {
            log.log(List.of(pending.get()));
        } catch (RuntimeException e) {
            LOG.warn("recheck statement committed but not logged yet: {}", e.toString());
        }
        return true;
    }
}
