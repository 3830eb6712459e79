package dev.warden.review;

/**
 * Where a finding was seen.
 *
 * @param file the path inside the package ({@code package.json}, {@code lib/index.js}), or null for
 *     a finding about the release as a whole
 * @param line the 1-based line, or 0 when the file has no lines worth naming (binary, minified)
 * @param offset the byte offset in the file, or -1
 * @param length the bytes the evidence covers, or 0
 * @param excerpt a short excerpt (at most {@link #MAX_EXCERPT} characters, control and invisible
 *     characters shown escaped), or empty
 */
public record Evidence(String file, int line, long offset, int length, String excerpt) {

    public static final int MAX_EXCERPT = 160;

    public static Evidence of(String file) {
        return new Evidence(file, 0, -1, 0, "");
    }
}
