package dev.warden.archfixtures.weblayers.web;

/** Breaks webUsesOnlyItsLibraries: the web module reads storage instead of being handed bytes. */
public class ReadsStorage {
    dev.warden.archfixtures.weblayers.storage.MetadataStore store;
}
