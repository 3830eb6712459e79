package dev.warden.archfixtures.common.storage;

/** The storage side of the common fixture. */
public class BlobStore {}
