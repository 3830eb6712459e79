package dev.warden.proxy;

import dev.warden.storage.MetadataStore.WriteTx;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where ingest statements go: the registry's outbox and then its transparency log. The statement is
 * recorded in the proxy's own write transaction (so a version is never served without its statement
 * queued), and logged after the commit; a statement that cannot be logged then stays queued and is
 * logged by the outbox's retry. warden-server wires it to the registry's outbox.
 */
public interface IngestLog {

    /** A statement recorded in a transaction, to be logged once it commits. */
    interface Pending {}

    /**
     * Records the statement of {@code kind} (e.g. {@code proxy.ingested}, {@code
     * proxy.quarantined}) about {@code name@version} with {@code detail} in {@code tx}.
     */
    Pending record(
            WriteTx tx,
            String kind,
            String name,
            String version,
            Map<String, Object> detail,
            Instant at);

    /** Logs committed statements; returns their log indexes (null for one not logged now). */
    List<Long> log(List<Pending> pending);

    /** No log: statements are dropped (a registry without a transparency log). */
    IngestLog NONE =
            new IngestLog() {
                @Override
                public Pending record(
                        WriteTx tx,
                        String kind,
                        String name,
                        String version,
                        Map<String, Object> detail,
                        Instant at) {
                    return new Pending() {};
                }

                @Override
                public List<Long> log(List<Pending> pending) {
                    return java.util.Collections.nCopies(pending.size(), null);
                }
            };
}
