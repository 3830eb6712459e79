package dev.warden.review;

/**
 * The analysis limits.
 *
 * @param maxUnpackedBytes the most unpacked bytes analysed per release
 * @param maxFiles the most files analysed per release
 * @param maxFileBytes the most bytes of one file analysed
 */
public record ReviewSettings(long maxUnpackedBytes, int maxFiles, int maxFileBytes) {

    public static final ReviewSettings DEFAULTS = new ReviewSettings(256L << 20, 20_000, 8 << 20);
}
