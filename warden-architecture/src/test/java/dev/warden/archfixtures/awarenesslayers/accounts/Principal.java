package dev.warden.archfixtures.awarenesslayers.accounts;

/** A class of the awarenesslayers fixture. */
public class Principal {}
