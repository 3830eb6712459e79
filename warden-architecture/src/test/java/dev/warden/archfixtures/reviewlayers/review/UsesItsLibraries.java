package dev.warden.archfixtures.reviewlayers.review;

/** Allowed: the review uses common, the JDK, Jackson, commons-compress and semver4j. */
public class UsesItsLibraries {
    dev.warden.archfixtures.reviewlayers.common.Digests digests;
    com.fasterxml.jackson.databind.JsonNode manifest;
    org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar;
    org.semver4j.Semver version;
    java.util.List<String> names;
    int[] counts;
}
