package dev.warden.governance;

import dev.warden.storage.MetadataStore.WriteTx;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The registry's event outbox and listeners, as governance uses them: every policy version, stage,
 * approval, rejection, request and notice is a statement recorded in its change's own transaction
 * and handed to the transparency log after the commit. Implemented by the registry, which owns the
 * outbox.
 */
public interface Events {

    /** A new batch of statements, recorded in one or more transactions and logged together. */
    Batch batch();

    /** Tells the registry's listeners (account history, mail) of a committed change. */
    void emit(String kind, String user, String pkg, Map<String, Object> detail);

    /** Statements recorded in transactions and logged once those have committed. */
    interface Batch {

        /**
         * Records a statement in the transaction's outbox; {@code restricted} says the package will
         * be restricted though it may have no row yet (the stage of a first restricted release).
         */
        void record(
                WriteTx tx,
                String kind,
                String pkg,
                String version,
                String actor,
                Instant at,
                Map<String, Object> detail,
                boolean restricted);

        default void record(
                WriteTx tx,
                String kind,
                String pkg,
                String version,
                String actor,
                Instant at,
                Map<String, Object> detail) {
            record(tx, kind, pkg, version, actor, at, detail, false);
        }

        /** Logs what was recorded (after the commit); returns the log indexes. */
        List<Long> log();
    }
}
