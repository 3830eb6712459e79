package dev.warden.awareness;

import dev.warden.accounts.Principal;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What advisories need of the registry: who maintains a package, which versions are published, and
 * its transparency log. Implemented by the registry, which owns those rules; advisories never ask
 * it to change a package.
 */
public interface AdvisoryFacts {

    /** Whether {@code user} may maintain {@code pkg} (by name, org role, team grant). */
    boolean mayMaintain(ReadTx tx, String pkg, String user);

    /** Whether the credential's package limits let {@code principal} act on {@code pkg} at all. */
    boolean covers(Principal principal, String pkg);

    /** Whether {@code version} of {@code pkg} is published and not unpublished. */
    boolean published(ReadTx tx, String pkg, String version);

    /**
     * The packages {@code user} is a named maintainer of (for listings; checked again one by one).
     */
    List<String> maintainedBy(ReadTx tx, String user);

    /** A new batch of statements for the transparency log. */
    Statements statements();

    /** Statements recorded in a change's transaction and logged after it commits. */
    interface Statements {

        void record(
                WriteTx tx,
                String kind,
                String pkg,
                String actor,
                Instant at,
                Map<String, Object> detail);

        /** Logs what was recorded (after the commit); returns the log indexes. */
        List<Long> log();
    }
}
