package dev.warden.awareness;

import dev.warden.common.Problem;

import org.semver4j.Range;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

import java.util.ArrayList;
import java.util.List;

/**
 * npm's range syntax to OSV's intervals and back. A maintainer writes the affected versions as npm
 * does ({@code <1.4.2}, {@code ^2.0.0}, {@code >=1.0.0 <1.4.2 || >=2.0.0 <2.1.1}); each alternative
 * becomes one interval with an inclusive start and an excluded or included end, which is what OSV
 * can say. A range OSV cannot say exactly ({@code >1.0.0}, two lower bounds) is refused with the
 * reason, never approximated.
 */
public final class NpmRanges {

    static final int MAX_LENGTH = 512;

    private NpmRanges() {}

    /** The intervals of {@code range}; 400 naming what is wrong otherwise. */
    public static List<AffectedRange> parse(String range) {
        if (range == null || range.isBlank()) {
            throw Problem.badRequest("the affected range is empty: give one like '<1.4.2'");
        }
        if (range.length() > MAX_LENGTH) {
            throw Problem.badRequest(
                    "the affected range is longer than " + MAX_LENGTH + " characters");
        }
        RangesList list;
        try {
            list = RangesListFactory.create(range.strip(), false);
        } catch (RuntimeException e) {
            throw notARange(range);
        }
        if (list.get().isEmpty()) {
            throw notARange(range);
        }
        List<AffectedRange> out = new ArrayList<>();
        for (List<Range> alternative : list.get()) {
            out.add(interval(range, alternative));
        }
        return List.copyOf(out);
    }

    /** The intervals in npm's syntax, alternatives joined with {@code ||}. */
    public static String render(List<AffectedRange> ranges) {
        return String.join(" || ", ranges.stream().map(AffectedRange::npm).toList());
    }

    /** Whether {@code version} is a valid semantic version (strictly, as npm publishes them). */
    public static boolean isVersion(String version) {
        return version != null && version.length() <= 256 && Semver.isValid(version);
    }

    private static AffectedRange interval(String whole, List<Range> comparators) {
        String lower = null;
        String upper = null;
        boolean upperIncluded = false;
        for (Range r : comparators) {
            String text = r.toString();
            String version = r.getRangeVersion().getVersion();
            if (text.startsWith(">=")) {
                lower = once(whole, lower, version);
            } else if (text.startsWith(">")) {
                throw Problem.badRequest(
                        "'"
                                + Problem.clip(whole)
                                + "' has a start that excludes its version ("
                                + text
                                + "): write >= with the first affected version");
            } else if (text.startsWith("<=")) {
                upper = once(whole, upper, version);
                upperIncluded = true;
            } else if (text.startsWith("<")) {
                upper = once(whole, upper, version);
            } else {
                lower = once(whole, lower, version);
                upper = once(whole, upper, version);
                upperIncluded = true;
            }
        }
        if (lower == null || "0.0.0".equals(lower)) {
            lower = "0";
        }
        if (!"0".equals(lower) && upper != null) {
            Semver start = new Semver(lower);
            if (upperIncluded ? start.isGreaterThan(upper) : !start.isLowerThan(upper)) {
                throw Problem.badRequest(
                        "'"
                                + Problem.clip(whole)
                                + "' contains no version: its end is before its start");
            }
        }
        return upperIncluded
                ? new AffectedRange(lower, null, upper)
                : new AffectedRange(lower, upper, null);
    }

    private static String once(String whole, String previous, String version) {
        if (previous != null) {
            throw Problem.badRequest(
                    "'"
                            + Problem.clip(whole)
                            + "' has two starts or two ends in one alternative: write each"
                            + " interval once, e.g. '>=1.0.0 <1.4.2 || >=2.0.0 <2.1.1'");
        }
        return version;
    }

    private static Problem notARange(String range) {
        return Problem.badRequest(
                "'"
                        + Problem.clip(range)
                        + "' is not an npm semver range (e.g. '<1.4.2' or '^2.0.0')");
    }
}
