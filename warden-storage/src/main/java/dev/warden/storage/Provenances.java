package dev.warden.storage;

import java.time.Instant;
import java.util.Optional;

/** The verified provenance of published versions, and the registry's publish attestations. */
public interface Provenances {

    void put(ProvenanceRecord record);

    Optional<ProvenanceRecord> find(String pkg, String version);

    /**
     * The provenance of the most recently published version of {@code pkg} that had one and is
     * still live.
     */
    Optional<ProvenanceRecord> latestLive(String pkg);

    /**
     * @param bundle the Sigstore bundle as published (JSON)
     * @param facts JSON: the build facts checked at publish (source repository, commit, workflow,
     *     builder, runner, run)
     * @param publishAttestation the registry's publish attestation (a Sigstore bundle, JSON)
     */
    record ProvenanceRecord(
            String pkg,
            String version,
            String predicateType,
            String bundle,
            String facts,
            String publishAttestation,
            Instant created) {}
}
