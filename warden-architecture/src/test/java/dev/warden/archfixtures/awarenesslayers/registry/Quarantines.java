package dev.warden.archfixtures.awarenesslayers.registry;

/** A class of the awarenesslayers fixture. */
public class Quarantines {}
