package dev.warden.awareness;

import org.semver4j.Semver;

/**
 * One interval of affected versions, as an OSV {@code SEMVER} range's events: from {@code
 * introduced} ("0" for every version before the end) up to {@code fixed} (excluded) or {@code
 * lastAffected} (included), or open-ended when both are null.
 */
public record AffectedRange(String introduced, String fixed, String lastAffected) {

    public AffectedRange {
        if (introduced == null) {
            throw new IllegalArgumentException("an affected range starts somewhere");
        }
        if (fixed != null && lastAffected != null) {
            throw new IllegalArgumentException("fixed and last_affected exclude each other");
        }
    }

    /** Whether this version lies in the interval. */
    public boolean contains(Semver version) {
        if (!"0".equals(introduced) && version.isLowerThan(introduced)) {
            return false;
        }
        if (fixed != null) {
            return version.isLowerThan(fixed);
        }
        return lastAffected == null || !version.isGreaterThan(lastAffected);
    }

    /** The interval in npm's range syntax, e.g. {@code >=1.0.0 <1.4.2}. */
    public String npm() {
        String lower = "0".equals(introduced) ? "" : ">=" + introduced;
        String upper =
                fixed != null ? "<" + fixed : lastAffected != null ? "<=" + lastAffected : "";
        if (lower.isEmpty() && upper.isEmpty()) {
            return "*";
        }
        if (!lower.isEmpty() && introduced.equals(lastAffected)) {
            return introduced;
        }
        return (lower + " " + upper).strip();
    }
}
