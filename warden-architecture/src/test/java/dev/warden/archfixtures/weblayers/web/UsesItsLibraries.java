package dev.warden.archfixtures.weblayers.web;

/** Allowed: common, the JDK, commonmark, jsoup, java-diff-utils and commons-compress. */
public class UsesItsLibraries {
    dev.warden.archfixtures.weblayers.common.Digests digests;
    org.commonmark.node.Node markdown;
    org.jsoup.nodes.Document html;
    com.github.difflib.patch.Patch<String> patch;
    org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar;
    java.util.List<String> lines;
    int[] counts;
}
