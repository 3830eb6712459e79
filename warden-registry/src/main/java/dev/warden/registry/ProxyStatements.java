package dev.warden.registry;

import dev.warden.storage.MetadataStore.WriteTx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The upstream proxy's statements (a version ingested or held, a quarantine placed or lifted) in
 * the registry's outbox, with actor {@code proxy}: recorded in the proxy's own transaction and
 * logged after its commit, like every change of the registry. What the log does not take stays
 * queued for the outbox's retry.
 */
public final class ProxyStatements {

    /** A statement recorded in a transaction, to be logged once it commits. */
    public static final class Pending {
        private final Outbox.PendingEvent event;

        private Pending(Outbox.PendingEvent event) {
            this.event = event;
        }
    }

    private final Outbox outbox;

    ProxyStatements(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Records the statement of {@code kind} about {@code name@version} in {@code tx}. */
    public Pending record(
            WriteTx tx,
            String kind,
            String name,
            String version,
            Map<String, Object> detail,
            Instant at) {
        List<Outbox.PendingEvent> out = new ArrayList<>(1);
        outbox.record(tx, out, kind, name, version, "proxy", at, detail);
        return new Pending(out.get(0));
    }

    /** Logs committed statements, one by one: each one's index, or null when it stays queued. */
    public List<Long> log(List<Pending> pending) {
        List<Long> indexes = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            List<Long> logged = outbox.log(List.of(p.event));
            indexes.add(logged.isEmpty() ? null : logged.get(0));
        }
        return indexes;
    }
}
