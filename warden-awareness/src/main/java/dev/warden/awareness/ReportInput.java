package dev.warden.awareness;

import dev.warden.common.Problem;
import dev.warden.storage.MalwareReports;

import java.util.regex.Pattern;

/** A report's fields as a reporter sends them, checked: 400 naming what is wrong. */
final class ReportInput {

    /** Long enough for an analysis with a few excerpts; a flood stays small. */
    static final int MAX_REASON = 4000;

    static final int MAX_NOTE = 2000;

    /** npm's package names: lower case, URL-safe, at most 214 characters, optionally scoped. */
    private static final Pattern NAME =
            Pattern.compile("(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*");

    /** Report ids: {@code rpt-} and 26 base-32 letters. */
    static final Pattern ID = Pattern.compile("rpt-[a-z2-7]{26}");

    private ReportInput() {}

    static String pkg(String name) {
        if (name == null || name.isBlank()) {
            throw Problem.badRequest("name the package reported ('package')");
        }
        if (name.length() > 214 || !NAME.matcher(name).matches()) {
            throw Problem.badRequest("'" + Problem.clip(name) + "' is not a package name");
        }
        return name;
    }

    /** The version, or {@link MalwareReports#WHOLE_PACKAGE} for none. */
    static String version(String version) {
        if (version == null || version.isEmpty()) {
            return MalwareReports.WHOLE_PACKAGE;
        }
        if (!NpmRanges.isVersion(version)) {
            throw Problem.badRequest("'" + Problem.clip(version) + "' is not a version");
        }
        return version;
    }

    static String reason(String reason) {
        return text(reason, "reason", MAX_REASON, true);
    }

    static String note(String note) {
        return text(note, "note", MAX_NOTE, true);
    }

    /** Plain text: line breaks and tabs allowed, other control characters not. */
    static String text(String text, String field, int max, boolean required) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            if (required) {
                throw Problem.badRequest("the " + field + " is empty: say what you found");
            }
            return t;
        }
        if (t.length() > max) {
            throw Problem.badRequest(
                    "the " + field + " is " + t.length() + " characters long; at most " + max);
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                throw Problem.badRequest(
                        "the " + field + " contains a control character (U+" + hex(c) + ")");
            }
        }
        return t;
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
