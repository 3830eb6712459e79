package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The registry's attested changes, written in the same transaction as the change itself and then
 * put into the transparency log: an outbox, so that a change that committed is logged even when the
 * process dies between the commit and the log append.
 */
public interface RegistryEvents {

    /**
     * One change: its statement (the JSON payload that is signed and logged) and, once logged, its
     * log index.
     *
     * @param opening for a change to a restricted package, whose statement is a commitment: the
     *     statement committed to, which only the package's readers are shown; else null
     */
    record EventRecord(
            long id,
            String kind,
            String pkg,
            String version,
            String statement,
            String opening,
            Instant at,
            Long logIndex) {}

    /** The id the next change recorded in this transaction gets: ids follow commit order. */
    long nextId();

    /**
     * Records change {@code id} (from {@link #nextId}). {@code version} is null for changes of the
     * whole package; {@code opening} is null unless {@code statement} is a commitment to it.
     */
    void add(
            long id,
            String kind,
            String pkg,
            String version,
            String statement,
            String opening,
            Instant at);

    /** Changes not yet in the log, oldest first. */
    List<EventRecord> unlogged(int limit);

    void setLogIndex(long id, long logIndex);

    /** For each version of {@code pkg}: the log index of its publish, where logged. */
    Map<String, Long> publishIndexes(String pkg);

    /** The changes of a package, oldest first. */
    List<EventRecord> of(String pkg);
}
