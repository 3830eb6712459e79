package dev.warden.archfixtures.reviewlayers.storage;

/** A storage contract of the reviewlayers fixture. */
public class MetadataStore {}
