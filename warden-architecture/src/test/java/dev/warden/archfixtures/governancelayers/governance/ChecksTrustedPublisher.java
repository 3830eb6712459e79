package dev.warden.archfixtures.governancelayers.governance;

/**
 * Breaks governanceUsesOnlyItsLayers: governance checks a trusted publisher itself instead of
 * handing the change to the registry's port.
 */
public class ChecksTrustedPublisher {
    dev.warden.archfixtures.governancelayers.provenance.TrustedPublishing rules;
}
