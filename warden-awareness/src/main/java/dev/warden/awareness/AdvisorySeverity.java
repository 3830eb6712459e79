package dev.warden.awareness;

import dev.warden.common.Problem;

import java.util.Locale;

/**
 * How severe an advisory is, in npm's four levels (what {@code npm audit} prints and filters on
 * with {@code --audit-level}); OSV records carry it as {@code database_specific.severity} in upper
 * case, as GitHub's advisories do.
 */
public enum AdvisorySeverity {
    LOW,
    MODERATE,
    HIGH,
    CRITICAL;

    /** {@code low}, {@code moderate}, {@code high} or {@code critical}, as npm names them. */
    public String npm() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads npm's name or the OSV upper-case one; 400 naming the four levels otherwise. */
    public static AdvisorySeverity parse(String text) {
        if (text != null) {
            for (AdvisorySeverity s : values()) {
                if (s.name().equalsIgnoreCase(text.strip())) {
                    return s;
                }
            }
        }
        throw Problem.badRequest(
                "severity must be low, moderate, high or critical, not "
                        + (text == null ? "nothing" : "'" + Problem.clip(text) + "'"));
    }
}
