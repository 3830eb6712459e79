package dev.warden.archfixtures.logregistry.registry;

/** The registry side of the logregistry fixture. */
public class Package {}
