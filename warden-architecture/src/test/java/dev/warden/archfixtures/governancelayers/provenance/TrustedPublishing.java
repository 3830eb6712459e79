package dev.warden.archfixtures.governancelayers.provenance;

/** The provenance side of the governancelayers fixture. */
public class TrustedPublishing {}
