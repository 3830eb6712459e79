package dev.warden.archfixtures.governancelayers.governance;

/** Allowed: governance builds on the storage contracts and accounts. */
public class UsesItsLayers {
    dev.warden.archfixtures.governancelayers.storage.MetadataStore store;
    dev.warden.archfixtures.governancelayers.accounts.Principal principal;
}
