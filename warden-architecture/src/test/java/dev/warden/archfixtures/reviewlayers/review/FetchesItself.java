package dev.warden.archfixtures.reviewlayers.review;

/** Breaks reviewUsesOnlyItsLibraries: the review takes a library beyond its allowed ones. */
public class FetchesItself {
    org.archfixture.elsewhere.HttpLibrary client;
}
