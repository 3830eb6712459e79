package dev.warden.archfixtures.awarenesslayers.governance;

/** A class of the awarenesslayers fixture. */
public class Policy {}
