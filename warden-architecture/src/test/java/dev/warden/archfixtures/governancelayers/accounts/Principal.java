package dev.warden.archfixtures.governancelayers.accounts;

/** The accounts side of the governancelayers fixture. */
public class Principal {}
