package dev.warden.archfixtures.verifylayers.registry;

/** Stands in for the registry domain. */
public class Registry {}
