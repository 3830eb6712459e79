package dev.warden.web;

import dev.warden.common.Problem;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What changed between two releases' tarballs, for a person approving the newer one: every file
 * with whether it was added, removed or changed (the file tree), and for text files the lines that
 * changed with some context, highlighted. Bounded: tarballs are read within limits (entries, bytes,
 * a file's bytes), a file past the per-file limit or binary is listed without lines, and a diff
 * past the total line limit is cut and says so.
 *
 * <p>How one diff is made: each tarball is read once ({@link Tarball}: limits, the first path
 * component dropped as npm does, SHA-256 per file, text kept when it is text and small); paths are
 * paired in order; equal digests are UNCHANGED with no lines; a text file added, removed or changed
 * gets its hunks ({@link Hunks}: java-diff-utils' Myers within an edit budget, 3 lines of context,
 * each side highlighted whole so comments spanning lines are right), until the release's line
 * budget {@link #MAX_LINES} is spent; later files are still listed, without lines.
 */
public record ReleaseDiff(List<FileChange> files, boolean truncated) {

    /** The most diff lines (context included) of a whole release diff; past it, cut. */
    public static final int MAX_LINES = 20_000;

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
        if (after == null) {
            throw Problem.badRequest("the newer tarball is missing");
        }
        Map<String, Tarball.File> older = before == null ? Map.of() : Tarball.read(before, "older");
        Map<String, Tarball.File> newer = Tarball.read(after, "newer");
        var paths = new TreeSet<String>(older.keySet());
        paths.addAll(newer.keySet());
        var hunks = new Hunks(MAX_LINES);
        var files = new ArrayList<FileChange>(paths.size());
        for (String path : paths) {
            files.add(change(path, older.get(path), newer.get(path), hunks));
        }
        return new ReleaseDiff(List.copyOf(files), hunks.truncated());
    }

    private static FileChange change(String path, Tarball.File a, Tarball.File b, Hunks hunks) {
        Kind kind =
                a == null
                        ? Kind.ADDED
                        : b == null
                                ? Kind.REMOVED
                                : Arrays.equals(a.sha256(), b.sha256())
                                        ? Kind.UNCHANGED
                                        : Kind.CHANGED;
        boolean binary = (a != null && a.binary()) || (b != null && b.binary());
        boolean tooLarge = (a != null && a.tooLarge()) || (b != null && b.tooLarge());
        String language = Highlight.language(path);
        List<Hunk> lines = List.of();
        if (kind != Kind.UNCHANGED && !binary && !tooLarge) {
            if (hunks.exhausted()) {
                hunks.cut();
            } else {
                lines =
                        hunks.between(
                                language, a == null ? null : a.text(), b == null ? null : b.text());
            }
        }
        return new FileChange(
                path,
                kind,
                a == null ? 0 : a.size(),
                b == null ? 0 : b.size(),
                language,
                binary,
                tooLarge,
                lines);
    }
}
