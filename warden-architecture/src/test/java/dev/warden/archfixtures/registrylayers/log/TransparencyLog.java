package dev.warden.archfixtures.registrylayers.log;

/** The log side of the registrylayers fixture. */
public class TransparencyLog {}
