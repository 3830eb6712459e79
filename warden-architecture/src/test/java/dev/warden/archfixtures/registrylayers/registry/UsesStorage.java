package dev.warden.archfixtures.registrylayers.registry;

/** Allowed: the registry builds on the storage contracts. */
public class UsesStorage {
    dev.warden.archfixtures.registrylayers.storage.MetadataStore store;
}
