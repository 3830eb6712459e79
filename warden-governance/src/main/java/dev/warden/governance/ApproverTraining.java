package dev.warden.governance;

import dev.warden.storage.MetadataStore.ReadTx;

import java.util.List;

/**
 * What governance asks of the registry's training (exercises and their completions, owned by
 * awareness): which exercises a maintainer still has to complete before their approval counts, as a
 * policy's {@link GovernancePolicy#training()} asks. Implemented by the registry.
 */
public interface ApproverTraining {

    /** No training exists: nothing is ever missing, no exercise id is known. */
    ApproverTraining NONE =
            new ApproverTraining() {
                @Override
                public List<String> missing(ReadTx tx, String user, List<String> required) {
                    return List.of();
                }

                @Override
                public List<String> unknown(List<String> ids) {
                    return ids.equals(GovernancePolicy.ALL_REQUIRED) ? List.of() : ids;
                }

                @Override
                public String where() {
                    return "";
                }
            };

    /**
     * The exercises of {@code required} ({@link GovernancePolicy#ALL_REQUIRED}: every required one)
     * that {@code user} has not completed, in {@code tx}; empty when none.
     */
    List<String> missing(ReadTx tx, String user, List<String> required);

    /** The ids of {@code ids} that name no exercise. */
    List<String> unknown(List<String> ids);

    /** Where a maintainer does the exercises: a page's address. */
    String where();
}
