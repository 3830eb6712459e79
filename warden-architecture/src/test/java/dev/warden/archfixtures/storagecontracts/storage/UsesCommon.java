package dev.warden.archfixtures.storagecontracts.storage;

/** Breaks storageContractsStandAlone: a storage contract names another Warden package. */
public class UsesCommon {
    dev.warden.archfixtures.storagecontracts.common.Digests digests;
}
