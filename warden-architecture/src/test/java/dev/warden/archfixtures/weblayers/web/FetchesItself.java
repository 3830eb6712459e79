package dev.warden.archfixtures.weblayers.web;

/** Breaks webUsesOnlyItsLibraries: the web module takes a library beyond its allowed ones. */
public class FetchesItself {
    org.archfixture.elsewhere.HttpLibrary client;
}
