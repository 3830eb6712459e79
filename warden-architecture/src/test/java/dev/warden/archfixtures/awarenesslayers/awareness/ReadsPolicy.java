package dev.warden.archfixtures.awarenesslayers.awareness;

/** Breaks awarenessUsesOnlyItsLayers: posture reads a governance policy directly. */
public class ReadsPolicy {
    dev.warden.archfixtures.awarenesslayers.governance.Policy policy;
}
