package dev.warden.archfixtures.weblayers.common;

/** Stands in for warden-common. */
public class Digests {}
