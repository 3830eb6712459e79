package dev.warden.verify.lockfile;

/** Where a locked package comes from, as its lockfile records it. */
public enum SourceKind {
    /** A tarball of a registry, named by name and version (the only kind verified by signature). */
    REGISTRY,
    /** A git repository at a commit. */
    GIT,
    /** A tarball at a URL that is not a registry's name@version tarball. */
    URL,
    /** A tarball or directory on the local disk. */
    FILE,
    /** A workspace package or a link to a directory of the project: not fetched, not verified. */
    LINK
}
