package dev.warden.archfixtures.common.common;

/** Breaks commonStandsAlone: common names a storage contract. */
public class UsesStorage {
    dev.warden.archfixtures.common.storage.BlobStore store;
}
