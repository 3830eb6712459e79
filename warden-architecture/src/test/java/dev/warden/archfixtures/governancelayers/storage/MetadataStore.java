package dev.warden.archfixtures.governancelayers.storage;

/** A storage contract of the governancelayers fixture. */
public class MetadataStore {}
