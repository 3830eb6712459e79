package dev.warden.archfixtures.awarenesslayers.storage;

/** A class of the awarenesslayers fixture. */
public class MetadataStore {}
