/**
 * Storage contracts. A driver implements {@link dev.warden.storage.MetadataStore} (transactions
 * over package, version, account and packument records) and {@link dev.warden.storage.BlobStore}
 * (content-addressed tarballs keyed by sha512). The embedded driver is SQLite plus a directory; a
 * scale-out driver (PostgreSQL plus object storage) implements the same contracts, so request
 * handling never changes with the driver.
 */
package dev.warden.storage;
