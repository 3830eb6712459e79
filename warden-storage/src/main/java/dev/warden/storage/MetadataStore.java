package dev.warden.storage;

import java.util.function.Function;

/**
 * Transactional metadata storage. A write unit of work either commits whole or changes nothing, and
 * once {@link #write} returns, the change survives a crash of the process.
 */
public interface MetadataStore extends AutoCloseable {

    /** Runs {@code work} in a serialized read-write transaction and commits it. */
    <T> T write(Function<WriteTx, T> work);

    /**
     * A write of state derived from what is already durable (it can be rebuilt after a power loss):
     * it survives a crash of the process, but the store need not wait for the disk. Drivers without
     * such a mode just {@link #write}.
     */
    default <T> T writeDerived(Function<WriteTx, T> work) {
        return write(work);
    }

    /**
     * Changes other nodes commit to this store, for this node's memories; none for a store that
     * only this process writes.
     */
    default ChangeFeed changes() {
        return ChangeFeed.NONE;
    }

    /** Runs {@code work} against a consistent snapshot. */
    <T> T read(Function<ReadTx, T> work);

    @Override
    void close();

    /** The read side of a transaction. */
    interface ReadTx {
        Packages packages();

        Versions versions();

        Tags tags();

        Maintainers maintainers();

        Stars stars();

        Packuments packuments();

        Search search();

        Dependencies dependencies();

        Downloads downloads();

        Users users();

        Tokens tokens();

        Scopes scopes();

        TwoFactor twoFactor();

        SecurityEvents securityEvents();

        ExerciseCompletions exerciseCompletions();

        PackageMfa packageMfa();

        EmailVerifications emailVerifications();

        PhishingDefence phishingDefence();

        Invites invites();

        Orgs orgs();

        Passkeys passkeys();

        RegistryEvents registryEvents();

        TrustedPublishers trustedPublishers();

        Provenances provenances();

        Governance governance();

        ReviewFacts reviewFacts();

        OsvRows osvRows();

        MalwareReports malwareReports();

        AdvisoryDrafts advisoryDrafts();

        Upstreams upstreams();

        Transients transients();
    }

    /** A read-write transaction: the same views, whose mutators may be called. */
    interface WriteTx extends ReadTx {}
}
