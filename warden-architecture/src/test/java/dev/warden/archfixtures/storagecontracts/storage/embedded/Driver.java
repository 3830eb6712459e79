package dev.warden.archfixtures.storagecontracts.storage.embedded;

/** Allowed: a driver may use common; only the contracts stand alone. */
public class Driver {
    dev.warden.archfixtures.storagecontracts.common.Digests digests;
}
