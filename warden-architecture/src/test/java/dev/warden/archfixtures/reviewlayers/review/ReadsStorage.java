package dev.warden.archfixtures.reviewlayers.review;

/**
 * Breaks reviewUsesOnlyItsLibraries: the review reads storage instead of asking its Ecosystem port.
 */
public class ReadsStorage {
    dev.warden.archfixtures.reviewlayers.storage.MetadataStore store;
}
