package dev.warden.archfixtures.awarenesslayers.awareness;

/**
 * Breaks awarenessUsesOnlyItsLayers: a malware report quarantines a version by calling the registry
 * instead of its own port, which the registry implements.
 */
public class QuarantinesItself {
    dev.warden.archfixtures.awarenesslayers.registry.Quarantines quarantines;
}
