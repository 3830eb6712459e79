package dev.warden.review;

/**
 * The analysis limits.
 *
 * @param maxUnpackedBytes the most unpacked bytes analysed per release
 * @param maxFiles the most files analysed per release
 * @param maxFileBytes the most bytes of one file analysed
 * @param maxDepth the deepest folder nesting of a file analysed (segments of its path)
 * @param maxPathLength the longest path of a file analysed, in characters
 */
public record ReviewSettings(
        long maxUnpackedBytes, int maxFiles, int maxFileBytes, int maxDepth, int maxPathLength) {

    public static final ReviewSettings DEFAULTS =
            new ReviewSettings(256L << 20, 20_000, 8 << 20, 32, 1024);

    public ReviewSettings {
        if (maxUnpackedBytes < 1 || maxFiles < 1 || maxFileBytes < 1) {
            throw new IllegalArgumentException(
                    "review limits must be positive: maxUnpackedBytes="
                            + maxUnpackedBytes
                            + " maxFiles="
                            + maxFiles
                            + " maxFileBytes="
                            + maxFileBytes);
        }
        if (maxDepth < 1 || maxPathLength < 1) {
            throw new IllegalArgumentException(
                    "review limits must be positive: maxDepth="
                            + maxDepth
                            + " maxPathLength="
                            + maxPathLength);
        }
    }

    /** The byte, file and file-size limits, with the default nesting and path limits. */
    public ReviewSettings(long maxUnpackedBytes, int maxFiles, int maxFileBytes) {
        this(maxUnpackedBytes, maxFiles, maxFileBytes, DEFAULT_DEPTH, DEFAULT_PATH_LENGTH);
    }

    private static final int DEFAULT_DEPTH = 32;
    private static final int DEFAULT_PATH_LENGTH = 1024;
}
