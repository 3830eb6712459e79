package dev.warden.awareness;

import dev.warden.storage.MetadataStore.ReadTx;

/**
 * Reads whether an account's real state has a practical step done (a passkey added, no token that
 * never expires...). Implemented by the registry, which knows packages, their maintainers, trusted
 * publishers and successors. The step ids are the posture's ({@code add-passkey}, {@code
 * replace-unexpiring-token}, ...), so both read one notion of "done".
 */
public interface StateCheck {

    /**
     * @param done whether the step is done now
     * @param detail what was found, for the maintainer ("2 tokens never expire: ...")
     */
    record Outcome(boolean done, String detail) {}

    /** {@code step}'s outcome for {@code user}, read in {@code tx}. */
    Outcome check(ReadTx tx, String user, String step);
}
