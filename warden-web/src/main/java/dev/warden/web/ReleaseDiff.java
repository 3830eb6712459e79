package dev.warden.web;

import java.io.InputStream;
import java.util.List;

/**
 * What changed between two releases' tarballs, for a person approving the newer one: every file
 * with whether it was added, removed or changed (the file tree), and for text files the lines that
 * changed with some context, highlighted. Bounded: tarballs are read within limits (entries, bytes,
 * a file's bytes), a file past the per-file limit or binary is listed without lines, and a diff
 * past the total line limit is cut and says so.
 */
public record ReleaseDiff(List<FileChange> files, boolean truncated) {

    public enum Kind {
        ADDED,
        REMOVED,
        CHANGED,
        UNCHANGED
    }

    /**
     * One file of either release.
     *
     * @param path its path inside the package (without the leading "package/")
     * @param language {@link Highlight#language}, or null
     * @param binary whether either side is not text (no lines then)
     * @param tooLarge whether either side is past the per-file limit (no lines then)
     */
    public record FileChange(
            String path,
            Kind kind,
            long sizeBefore,
            long sizeAfter,
            String language,
            boolean binary,
            boolean tooLarge,
            List<Hunk> hunks) {}

    /** Changed lines with their context; lines numbered from 1. */
    public record Hunk(int oldStart, int oldLines, int newStart, int newLines, List<Line> lines) {}

    public enum LineKind {
        CONTEXT,
        ADDED,
        REMOVED
    }

    /**
     * @param oldNumber its number in the older file, or 0 for an added line
     * @param newNumber its number in the newer file, or 0 for a removed line
     */
    public record Line(LineKind kind, int oldNumber, int newNumber, List<Highlight.Token> tokens) {}

    /**
     * The diff from {@code before} (a gzipped npm tarball, or null when there is no earlier
     * release: every file added) to {@code after}.
     *
     * @throws dev.warden.common.Problem (bad request) when a tarball is not a readable gzipped tar
     *     or is past the limits, naming which and why
     */
    public static ReleaseDiff between(InputStream before, InputStream after) {
        throw new UnsupportedOperationException("not built yet");
    }
}
