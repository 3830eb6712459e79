package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.governance.Change;
import dev.warden.governance.PackageGovernance;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Versions.VersionRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unpublishing a package whole, and the policy of when it is allowed: within the unpublish window,
 * or when nothing depends on it, few download it and one person maintains it.
 */
final class Unpublishing {

    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    private final MetadataStore store;
    private final RegistrySettings settings;
    private final Packuments docs;
    private final DownloadCounter downloads;
    private final Outbox outbox;
    private final PackageGovernance governance;
    private final Visibility visibility;
    private final PackageWrites writes;
    private final Listeners listeners;

    Unpublishing(
            MetadataStore store,
            RegistrySettings settings,
            Packuments docs,
            DownloadCounter downloads,
            Outbox outbox,
            PackageGovernance governance,
            Visibility visibility,
            PackageWrites writes,
            Listeners listeners) {
        this.store = store;
        this.settings = settings;
        this.docs = docs;
        this.downloads = downloads;
        this.outbox = outbox;
        this.governance = governance;
        this.visibility = visibility;
        this.writes = writes;
        this.listeners = listeners;
    }

    List<Long> unpublishPackage(String name, String rev, Principal principal, boolean approved) {
        governance.hold(name, new Change.Unpublish(), principal, approved);
        Authority.requireWriter(principal, name);
        visibility.requireReadable(name, principal);
        Instant now = writes.now();
        List<Outbox.PendingEvent> events = new ArrayList<>(1);
        List<String> versions =
                store.write(
                        tx -> {
                            PackageRecord pkg = PackageWrites.livePackage(tx, name);
                            PackageWrites.checkRev(name, pkg, rev);
                            Authority.requireMaintainer(tx, name, principal);
                            List<VersionRecord> live =
                                    tx.versions().all(name).stream()
                                            .filter(VersionRecord::live)
                                            .toList();
                            checkUnpublishAllowed(tx, pkg, live, now);
                            unpublishWhole(tx, pkg, now);
                            List<String> gone = live.stream().map(VersionRecord::version).toList();
                            outbox.record(
                                    tx,
                                    events,
                                    "package.unpublished",
                                    name,
                                    null,
                                    principal.user(),
                                    now,
                                    Map.of("versions", gone, "whole", true));
                            return gone;
                        });
        docs.drop(name, versions);
        LOG.info("unpublished {} by {}", name, principal.user());
        List<Long> indexes = outbox.log(events);
        listeners.emit(
                "package.unpublished",
                principal.user(),
                name,
                java.util.Map.of("versions", versions));
        return indexes;
    }

    /**
     * {@code DELETE /:pkg/-/:file/-rev/:rev}: the tarball of a version already unpublished by the
     * document update.
     */
    void deleteTarball(String name, String file, String rev, Principal principal) {
        Authority.requireWriter(principal, name);
        store.read(
                tx -> {
                    Optional<PackageRecord> pkg = tx.packages().find(name);
                    if (pkg.isEmpty()) {
                        throw Problem.notFound("package " + name + " not found");
                    }
                    if (pkg.get().live() && !tx.maintainers().of(name).contains(principal.user())) {
                        throw pkg.get().access().equals("restricted")
                                ? Problem.notFound("package " + Problem.clip(name) + " not found")
                                : Problem.forbidden(
                                        "you are not a maintainer of " + Problem.clip(name));
                    }
                    PackageName pn = PackageName.parse(name);
                    String prefix = pn.bare() + "-";
                    if (!file.startsWith(prefix) || !file.endsWith(".tgz")) {
                        throw Problem.notFound("no such tarball");
                    }
                    String version = file.substring(prefix.length(), file.length() - 4);
                    Optional<VersionRecord> v = tx.versions().find(name, version);
                    if (v.isEmpty()) {
                        throw Problem.notFound("no such tarball");
                    }
                    if (v.get().live()) {
                        throw Problem.badRequest(
                                "unpublish the version before deleting its tarball");
                    }
                    return null;
                });
    }

    /** Downloads in the last seven days (today included), counted and not yet flushed ones too. */
    long weeklyDownloads(ReadTx tx, String name) {
        return tx.downloads()
                        .since(name, LocalDate.ofInstant(writes.now(), ZoneOffset.UTC).minusDays(6))
                + downloads.pending(name);
    }

    void checkUnpublishAllowed(
            ReadTx tx, PackageRecord pkg, List<VersionRecord> versions, Instant now) {
        boolean recent =
                versions.stream()
                        .allMatch(v -> v.published().plus(settings.unpublishWindow()).isAfter(now));
        if (recent) {
            return;
        }
        int dependents = tx.dependencies().dependentCount(pkg.name());
        long weekly =
                tx.downloads()
                                .since(
                                        pkg.name(),
                                        LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(6))
                        + downloads.pending(pkg.name());
        int maintainers = tx.maintainers().of(pkg.name()).size();
        List<String> reasons = new ArrayList<>();
        if (dependents > 0) {
            reasons.add(dependents + " other package(s) depend on it");
        }
        if (weekly >= settings.unpublishMaxWeeklyDownloads()) {
            reasons.add("it had " + weekly + " downloads in the last week");
        }
        if (maintainers > 1) {
            reasons.add("it has " + maintainers + " maintainers");
        }
        if (!reasons.isEmpty()) {
            throw Problem.forbidden(
                    "cannot unpublish "
                            + pkg.name()
                            + ": it was published more than "
                            + settings.unpublishWindow().toHours()
                            + " hours ago and "
                            + String.join(", ", reasons)
                            + ". Deprecate it instead (npm deprecate)");
        }
    }

    static void unpublishWhole(WriteTx tx, PackageRecord pkg, Instant now) {
        for (VersionRecord v : tx.versions().all(pkg.name())) {
            if (v.live()) {
                tx.versions().setUnpublished(pkg.name(), v.version(), now);
                tx.dependencies().removeVersion(pkg.name(), v.version());
            }
        }
        tx.tags().removeAll(pkg.name());
        tx.maintainers().removeAll(pkg.name());
        tx.packuments().remove(pkg.name());
        tx.search().remove(pkg.name());
        tx.packages().update(pkg.touched(now).withUnpublished(now));
    }
}
