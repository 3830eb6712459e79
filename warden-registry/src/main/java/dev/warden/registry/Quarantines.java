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
 * by no one; published versions that malware reports withhold are served as not live. A request for
 * one (its tarball, its manifest) is answered with why and the way out instead of "not found", so
 * that npm prints it. Asked only when the version is not served, so reads of live versions pay
 * nothing.
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
        var withheld =
                store.read(
                        tx ->
                                tx.malwareReports()
                                        .hold(
                                                pkg,
                                                tx.tags().of(pkg).getOrDefault(version, version)));
        if (withheld.isPresent() && visibility.readable(pkg, reader)) {
            throw Problem.forbidden(withheld.get().message());
        }
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
                            return all;
                        });
        for (StageRecord s : open) {
            if (!s.version().equals(version) || s.release() == null) {
                continue;
            }
            Release r = Release.fromJson(read(s.release()));
            if (r.review() == null || r.review().action() != Action.QUARANTINE) {
                continue;
            }
            // a restricted release is not named to someone who may not read the package
            if ("restricted".equals(r.access()) && !visibility.canRead(pkg, reader)) {
                return;
            }
            throw Problem.forbidden(
                    StagedReleases.quarantined(pkg, version, r.review(), s.id(), publicUrl));
        }
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
