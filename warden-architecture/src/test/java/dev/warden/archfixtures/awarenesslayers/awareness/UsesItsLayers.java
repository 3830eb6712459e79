package dev.warden.archfixtures.awarenesslayers.awareness;

/** Allowed: awareness builds on the storage contracts and accounts. */
public class UsesItsLayers {
    dev.warden.archfixtures.awarenesslayers.storage.MetadataStore store;
    dev.warden.archfixtures.awarenesslayers.accounts.Principal principal;
}
