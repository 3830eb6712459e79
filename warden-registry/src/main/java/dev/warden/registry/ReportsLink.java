package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.awareness.ReportedPackages;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Versions.VersionRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry's side of malware reports' port: reads of packages, the registry's outbox for their
 * statements, and serving the versions reports withhold with the same quarantine as the release
 * review's (403 naming why, {@code policyRestrictions} in the packument; see {@link Quarantines}).
 */
final class ReportsLink implements ReportedPackages {

    private final Registry registry;
    private final Outbox outbox;
    private final Packuments docs;

    ReportsLink(Registry registry, Outbox outbox, Packuments docs) {
        this.registry = registry;
        this.outbox = outbox;
        this.docs = docs;
    }

    @Override
    public void requireReadable(String pkg, Principal reader) {
        registry.requireReadable(pkg, reader);
    }

    @Override
    public List<String> versions(ReadTx tx, String pkg) {
        return tx.versions().all(pkg).stream()
                .filter(VersionRecord::live)
                .map(VersionRecord::version)
                .toList();
    }

    @Override
    public List<String> maintainers(ReadTx tx, String pkg) {
        return tx.maintainers().of(pkg);
    }

    @Override
    public boolean mayMaintain(ReadTx tx, String pkg, String user) {
        return Authority.mayMaintain(tx, pkg, user);
    }

    @Override
    public Statements statements() {
        List<Outbox.PendingEvent> events = new ArrayList<>();
        return new Statements() {
            @Override
            public void record(
                    WriteTx tx,
                    String kind,
                    String pkg,
                    String version,
                    String actor,
                    Instant at,
                    Map<String, Object> detail) {
                outbox.record(tx, events, kind, pkg, version, actor, at, detail);
            }

            @Override
            public List<Long> log() {
                return outbox.log(events);
            }
        };
    }

    @Override
    public void withheldChanged(String pkg, List<String> versions) {
        docs.rerender(pkg);
        docs.forgetTarballs(pkg, versions);
    }
}
