package dev.warden.archfixtures.proxylayers.registry;

/** Stands in for the registry domain. */
public class Registry {}
