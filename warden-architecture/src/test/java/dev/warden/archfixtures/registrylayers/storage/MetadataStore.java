package dev.warden.archfixtures.registrylayers.storage;

/** The storage side of the registrylayers fixture. */
public class MetadataStore {}
