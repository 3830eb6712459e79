package dev.warden.archfixtures.governanceregistry.registry;

/** The registry side of the governanceregistry fixture. */
public class Registry {}
