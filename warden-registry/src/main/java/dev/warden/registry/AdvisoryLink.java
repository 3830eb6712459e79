package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.awareness.AdvisoryFacts;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry's side of the advisories' port: who maintains a package ({@link Authority}), which
 * versions are live, and the outbox that logs publishing and withdrawing advisories.
 */
final class AdvisoryLink implements AdvisoryFacts {

    private final Outbox outbox;

    AdvisoryLink(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public boolean mayMaintain(ReadTx tx, String pkg, String user) {
        return Authority.mayMaintain(tx, pkg, user);
    }

    @Override
    public boolean covers(Principal principal, String pkg) {
        return Authority.mayView(principal, pkg);
    }

    @Override
    public boolean published(ReadTx tx, String pkg, String version) {
        return tx.versions().find(pkg, version).filter(v -> v.live()).isPresent();
    }

    @Override
    public List<String> maintainedBy(ReadTx tx, String user) {
        return tx.maintainers().packagesOf(user);
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
                    String actor,
                    Instant at,
                    Map<String, Object> detail) {
                outbox.record(tx, events, kind, pkg, null, actor, at, detail);
            }

            @Override
            public List<Long> log() {
                return outbox.log(events);
            }
        };
    }
}
