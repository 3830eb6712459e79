package dev.warden.archfixtures.reviewlayers.common;

/** The common side of the reviewlayers fixture. */
public class Digests {}
