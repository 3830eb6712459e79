package dev.warden.archfixtures.verifylayers.verify;

/**
 * Breaks verifyUsesOnlyItsLayers: the verifier reads the registry's domain instead of what it
 * serves.
 */
public class AsksTheRegistry {
    dev.warden.archfixtures.verifylayers.registry.Registry registry;
}
