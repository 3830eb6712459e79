package dev.warden.archfixtures.weblayers.storage;

/** Stands in for the storage contracts. */
public interface MetadataStore {}
