package dev.warden.archfixtures.storagecontracts.common;

/** The common side of the storagecontracts fixture. */
public class Digests {}
