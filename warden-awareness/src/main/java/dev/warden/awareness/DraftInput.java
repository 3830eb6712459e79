package dev.warden.awareness;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.common.Problem;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fields of an advisory draft as a maintainer sends them, checked: the affected range must be
 * one OSV can state ({@link NpmRanges}), the summary one line, the details bounded Markdown (stored
 * as text, never rendered), references http(s) links. A field left out of an edit is null here and
 * keeps its value.
 *
 * @param pkg the package (creation only)
 * @param affected the affected versions, an npm range
 * @param severity npm's level
 * @param summary one line
 * @param details Markdown
 * @param patched the first fixed version; an empty string in an edit removes it
 * @param references links
 */
public record DraftInput(
        String pkg,
        String affected,
        AdvisorySeverity severity,
        String summary,
        String details,
        String patched,
        List<String> references) {

    static final int MAX_REFERENCES = 20;
    static final int MAX_URL = 2048;

    private static final Set<String> FIELDS =
            Set.of(
                    "package",
                    "affected",
                    "severity",
                    "summary",
                    "details",
                    "patched",
                    "references");

    /**
     * Reads a creation ({@code creating}: package, affected, severity and summary required) or an
     * edit (every field optional, package refused); 400 naming the field otherwise.
     */
    public static DraftInput parse(JsonNode body, boolean creating) {
        if (body == null || !body.isObject()) {
            throw Problem.badRequest("the body must be a JSON object of the draft's fields");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw Problem.badRequest(
                        "unknown field '"
                                + Problem.clip(f)
                                + "': a draft has package, affected, severity, summary,"
                                + " details, patched and references");
            }
        }
        if (!creating && body.has("package")) {
            throw Problem.badRequest("a draft's package cannot change: draft a new advisory");
        }
        String pkg = text(body, "package", 214, creating);
        String affected = text(body, "affected", NpmRanges.MAX_LENGTH, creating);
        if (affected != null) {
            NpmRanges.parse(affected);
        }
        String severityText = text(body, "severity", 32, creating);
        AdvisorySeverity severity =
                severityText == null ? null : AdvisorySeverity.parse(severityText);
        String summary = text(body, "summary", OsvRecord.MAX_SUMMARY, creating);
        if (summary != null
                && (summary.isBlank() || summary.chars().anyMatch(Character::isISOControl))) {
            throw Problem.badRequest("the summary is one line of text, without control characters");
        }
        String details = text(body, "details", OsvRecord.MAX_DETAILS, false);
        if (details != null && details.indexOf('\0') >= 0) {
            throw Problem.badRequest("the details contain a NUL character");
        }
        String patched = text(body, "patched", 256, false);
        if (patched != null && !patched.isEmpty() && !NpmRanges.isVersion(patched)) {
            throw Problem.badRequest(
                    "patched must be a version like 1.4.2, not '" + Problem.clip(patched) + "'");
        }
        List<String> references = null;
        if (body.has("references")) {
            JsonNode refs = body.get("references");
            if (!refs.isArray() || refs.size() > MAX_REFERENCES) {
                throw Problem.badRequest(
                        "references must be a list of at most " + MAX_REFERENCES + " URLs");
            }
            references = new ArrayList<>();
            for (JsonNode r : refs) {
                references.add(url(r));
            }
        }
        return new DraftInput(pkg, affected, severity, summary, details, patched, references);
    }

    private static String text(JsonNode body, String field, int max, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw Problem.badRequest("'" + field + "' is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw Problem.badRequest("'" + field + "' must be a string");
        }
        String s = v.asText();
        if (s.length() > max) {
            throw Problem.badRequest(
                    "'" + field + "' is longer than " + max + " characters (" + s.length() + ")");
        }
        if (required && s.isBlank()) {
            throw Problem.badRequest("'" + field + "' is empty");
        }
        return s;
    }

    private static String url(JsonNode r) {
        if (!r.isTextual() || r.asText().length() > MAX_URL) {
            throw Problem.badRequest(
                    "each reference is a URL of at most " + MAX_URL + " characters");
        }
        String s = r.asText();
        try {
            URI u = new URI(s);
            if (u.getHost() == null
                    || !("https".equalsIgnoreCase(u.getScheme())
                            || "http".equalsIgnoreCase(u.getScheme()))) {
                throw new URISyntaxException(s, "not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw Problem.badRequest(
                    "reference '" + Problem.clip(s) + "' is not an http(s) URL with a host");
        }
        return s;
    }
}
