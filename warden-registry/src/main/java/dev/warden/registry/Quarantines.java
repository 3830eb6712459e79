package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.PackageGovernance;
import dev.warden.review.Action;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Reviews kept with stages. Versions the release review quarantined are kept as stages, installable
 * by no one. A request for one (its tarball, its manifest) is answered with why and the way out
 * instead of "not found", so that npm prints it. Asked only when the version is not live, so reads
 * of live versions pay nothing.
 */
final class Quarantines {

    private final MetadataStore store;
    private final ObjectMapper json;
    private final Visibility visibility;
    private final String publicUrl;

    Quarantines(MetadataStore store, ObjectMapper json, Visibility visibility, String publicUrl) {
        this.store = store;
        this.json = json;
        this.visibility = visibility;
        this.publicUrl = publicUrl;
    }

    /** Throws a 403 naming the reasons when {@code pkg@version} is quarantined. */
    void refuseIfQuarantined(String pkg, String version, Principal reader) {
        if (version == null) {
            return;
        }
        refuse(pkg, version, reader);
    }

    /**
     * Throws a 403 naming the reasons when {@code pkg} has no packument but a quarantined release
     * (its first): without it npm would say "not found" and the user would never learn why.
     */
    void refuseIfOnlyQuarantined(String pkg, Principal reader) {
        refuse(pkg, null, reader);
    }

    /** Refuses the newest quarantined release of {@code pkg} ({@code version}, or any). */
    private void refuse(String pkg, String version, Principal reader) {
        List<StageRecord> open =
                store.read(
                        tx -> {
                            List<StageRecord> all =
                                    new java.util.ArrayList<>(
                                            tx.governance()
                                                    .stages(
                                                            List.of(pkg),
                                                            PackageGovernance.PENDING,
                                                            0,
                                                            1_000));
                            all.addAll(
                                    tx.governance()
                                            .stages(
                                                    List.of(pkg),
                                                    PackageGovernance.APPROVED,
                                                    0,
                                                    1_000));
                            all.sort(
                                    java.util.Comparator.comparing(StageRecord::created)
                                            .reversed());
                            return all;
                        });
        for (StageRecord s : open) {
            if ((version != null && !s.version().equals(version)) || s.release() == null) {
                continue;
            }
            Release r = Release.fromJson(read(s.release()));
            if (r.review() == null || r.review().action() != Action.QUARANTINE) {
                continue;
            }
            if (!mayBeTold(pkg, s, r, reader)) {
                return;
            }
            throw Problem.forbidden(
                    StagedReleases.quarantined(pkg, s.version(), r.review(), s.id(), publicUrl));
        }
    }

    /**
     * Whether {@code reader} may learn of a quarantined release: anyone, unless it is restricted
     * (or its package is); then those who may read the package, or, for a package that has no row
     * yet (its first release), only its stager: anyone may "read" a package that does not exist.
     */
    private boolean mayBeTold(String pkg, StageRecord s, Release r, Principal reader) {
        if (!"restricted".equals(r.access()) && !visibility.restricted(pkg)) {
            return true;
        }
        if (reader == null) {
            return false;
        }
        boolean exists = store.read(tx -> tx.packages().find(pkg).isPresent());
        return exists ? visibility.canRead(pkg, reader) : reader.user().equals(s.actor());
    }

    /**
     * The review kept with stage {@code id} (as {@link ReviewVerdict#toJson}), for whoever may see
     * the stage: its package's maintainers and its stager.
     */
    Optional<ObjectNode> ofStage(String id, Principal reader) {
        if (reader == null) {
            return Optional.empty();
        }
        Optional<StageRecord> stage =
                store.read(
                        tx ->
                                tx.governance()
                                        .stage(id)
                                        .filter(
                                                s ->
                                                        Authority.mayView(reader, s.pkg())
                                                                && (Authority.mayMaintain(
                                                                                tx,
                                                                                s.pkg(),
                                                                                reader.user())
                                                                        || s.actor()
                                                                                .equals(
                                                                                        reader
                                                                                                .user()))));
        return stage.filter(s -> s.release() != null)
                .map(s -> Release.fromJson(read(s.release())).review())
                .map(v -> v.toJson(json));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
