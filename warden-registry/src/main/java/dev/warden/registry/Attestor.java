package dev.warden.registry;

/**
 * Puts the signed statement of a committed change into the transparency log; answers its log index.
 */
@FunctionalInterface
public interface Attestor {
    long attest(String statement);
}
