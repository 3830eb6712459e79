package dev.warden.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;

import java.util.Iterator;
import java.util.List;

/**
 * A package's own release-review thresholds, part of its governance policy: the lowest severity of
 * a finding that flags, holds or quarantines a release. Each may be unset (null: the registry's
 * applies). The registry judges a release by the stricter of its own threshold and the package's
 * for each action, so these can only make the review stricter; governance keeps them as words
 * because it does not depend on the review module.
 *
 * @param flagAt the lowest severity that flags, or null
 * @param holdAt the lowest severity that holds, or null
 * @param quarantineAt the lowest severity that quarantines, or null
 */
public record ReviewThresholds(String flagAt, String holdAt, String quarantineAt) {

    /** The review's severities, lowest first (as {@code dev.warden.review.Severity}). */
    public static final List<String> SEVERITIES =
            List.of("info", "low", "medium", "high", "critical");

    /** The JSON fields, in the order of the actions (flag, hold, quarantine). */
    public static final List<String> FIELDS = List.of("flagAt", "holdAt", "quarantineAt");

    /** No thresholds of the package's own: the registry's apply. */
    public static final ReviewThresholds NONE = new ReviewThresholds(null, null, null);

    public ReviewThresholds {
        for (String s : new String[] {flagAt, holdAt, quarantineAt}) {
            if (s != null && !SEVERITIES.contains(s)) {
                throw new IllegalArgumentException("not a severity: " + s);
            }
        }
    }

    public boolean isEmpty() {
        return flagAt == null && holdAt == null && quarantineAt == null;
    }

    /** The threshold of the action at {@code index} of {@link #FIELDS}, or null. */
    public String at(int index) {
        return switch (index) {
            case 0 -> flagAt;
            case 1 -> holdAt;
            case 2 -> quarantineAt;
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    /**
     * Reads {@code {"flagAt": "low", "holdAt": "medium", "quarantineAt": "high"}} (any of them);
     * 400 for an unknown field, a word that is no severity, or thresholds out of order.
     */
    static ReviewThresholds parse(JsonNode n) {
        if (!(n instanceof ObjectNode o)) {
            throw Problem.badRequest(
                    "review must be {\"flagAt\": S, \"holdAt\": S, \"quarantineAt\": S} (each"
                            + " optional; S one of "
                            + String.join(", ", SEVERITIES)
                            + ")");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw Problem.badRequest("unknown review field: " + Problem.clip(f));
            }
        }
        String[] words = new String[3];
        for (int i = 0; i < 3; i++) {
            JsonNode w = o.get(FIELDS.get(i));
            if (w == null || w.isNull()) {
                continue;
            }
            if (!w.isTextual() || !SEVERITIES.contains(w.asText())) {
                throw Problem.badRequest(
                        "review."
                                + FIELDS.get(i)
                                + " must be one of "
                                + String.join(", ", SEVERITIES));
            }
            words[i] = w.asText();
        }
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                if (words[i] != null && words[j] != null && rank(words[j]) < rank(words[i])) {
                    throw Problem.badRequest(
                            "review."
                                    + FIELDS.get(j)
                                    + " (\""
                                    + words[j]
                                    + "\") must be at or above review."
                                    + FIELDS.get(i)
                                    + " (\""
                                    + words[i]
                                    + "\")");
                }
            }
        }
        return new ReviewThresholds(words[0], words[1], words[2]);
    }

    /**
     * Whether these thresholds ask less than {@code other} for any action: one that {@code other}
     * sets is unset here or at a higher severity.
     */
    public boolean looserThan(ReviewThresholds other) {
        for (int i = 0; i < 3; i++) {
            String theirs = other.at(i);
            String ours = at(i);
            if (theirs != null && (ours == null || rank(ours) > rank(theirs))) {
                return true;
            }
        }
        return false;
    }

    /** The position of a severity word, lowest first. */
    public static int rank(String severity) {
        return SEVERITIES.indexOf(severity);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 3; i++) {
            if (at(i) != null) {
                o.put(FIELDS.get(i), at(i));
            }
        }
        return o;
    }

    /** Reads what {@link #toJson} wrote; anything it does not know is dropped. */
    public static ReviewThresholds fromStored(JsonNode n) {
        String[] words = new String[3];
        for (int i = 0; i < 3; i++) {
            String w = n.path(FIELDS.get(i)).asText(null);
            words[i] = w != null && SEVERITIES.contains(w) ? w : null;
        }
        return new ReviewThresholds(words[0], words[1], words[2]);
    }

    /** {@code hold at medium, quarantine at high}, or {@code none}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        String[] actions = {"flag", "hold", "quarantine"};
        for (int i = 0; i < 3; i++) {
            if (at(i) != null) {
                b.append(b.isEmpty() ? "" : ", ").append(actions[i]).append(" at ").append(at(i));
            }
        }
        return b.isEmpty() ? "none" : b.toString();
    }
}
