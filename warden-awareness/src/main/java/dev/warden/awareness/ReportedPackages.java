package dev.warden.awareness;

import dev.warden.accounts.Principal;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What malware reports need of the registry, implemented by the registry: who may see a package,
 * its versions and maintainers, its transparency log statements, and serving the versions the
 * reports withhold (the registry's quarantine: 403 with the reason, {@code policyRestrictions} in
 * the packument so npm prints it).
 */
public interface ReportedPackages {

    /** 404 unless {@code reader} may read {@code pkg}: a restricted package is not named. */
    void requireReadable(String pkg, Principal reader);

    /** The package's published versions (withheld ones too); empty when there is no package. */
    List<String> versions(ReadTx tx, String pkg);

    /** The accounts that maintain {@code pkg}. */
    List<String> maintainers(ReadTx tx, String pkg);

    /** Whether {@code user} maintains {@code pkg} (as maintainer, team or organization). */
    boolean mayMaintain(ReadTx tx, String pkg, String user);

    /** A set of statements recorded in one transaction and logged after it commits. */
    Statements statements();

    /** The withheld versions of {@code pkg} changed (after the commit): serve them anew. */
    void withheldChanged(String pkg, List<String> versions);

    /** Statements for the transparency log, as the registry's changes have. */
    interface Statements {

        /** Records a statement in the transaction's outbox. */
        void record(
                WriteTx tx,
                String kind,
                String pkg,
                String version,
                String actor,
                Instant at,
                Map<String, Object> detail);

        /** Logs what was recorded (after the commit); returns the log indexes. */
        List<Long> log();
    }
}
