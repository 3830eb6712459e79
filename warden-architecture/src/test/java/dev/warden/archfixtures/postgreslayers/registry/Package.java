package dev.warden.archfixtures.postgreslayers.registry;

/** A registry class of the postgreslayers fixture. */
public class Package {}
