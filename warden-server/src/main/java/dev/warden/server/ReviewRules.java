package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.review.Action;
import dev.warden.review.ReviewPolicy;
import dev.warden.review.Severity;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code [review]} settings beyond their words: thresholds in order (flag, then hold, then
 * quarantine), the high-impact ones never laxer than the registry's, and overrides of the form
 * {@code finding-id=action}; and the two {@link ReviewPolicy}s they make.
 */
final class ReviewRules {

    static final List<String> SEVERITIES =
            Arrays.stream(Severity.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList();

    private static final List<String> ACTIONS =
            Arrays.stream(Action.values()).map(a -> a.name().toLowerCase(Locale.ROOT)).toList();

    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private ReviewRules() {}

    static void check(ObjectNode tree, Function<String, String> sourceOf) {
        if (!(tree.get("review") instanceof ObjectNode review)) {
            return;
        }
        ordered(review, "", sourceOf);
        ordered(review, "high_impact_", sourceOf);
        for (String level : List.of("flag_at", "hold_at", "quarantine_at")) {
            Severity registry = severity(review, level);
            Severity strict = severity(review, "high_impact_" + level);
            if (strict.compareTo(registry) > 0) {
                String setting = "review.high_impact_" + level;
                throw new ConfigException(
                        setting
                                + " from "
                                + sourceOf.apply(setting)
                                + " must not be laxer than review."
                                + level
                                + " (\""
                                + word(registry)
                                + "\"), not \""
                                + word(strict)
                                + "\"");
            }
        }
        overrides(review.path("overrides"), sourceOf.apply("review.overrides"));
    }

    private static void ordered(ObjectNode review, String prefix, Function<String, String> src) {
        String[] keys = {prefix + "flag_at", prefix + "hold_at", prefix + "quarantine_at"};
        for (int i = 1; i < keys.length; i++) {
            if (severity(review, keys[i]).compareTo(severity(review, keys[i - 1])) < 0) {
                String setting = "review." + keys[i];
                throw new ConfigException(
                        setting
                                + " from "
                                + src.apply(setting)
                                + " must be at or above review."
                                + keys[i - 1]
                                + " (\""
                                + review.path(keys[i - 1]).asText()
                                + "\"), not \""
                                + review.path(keys[i]).asText()
                                + "\"");
            }
        }
    }

    static Map<String, Action> overrides(JsonNode list, String source) {
        Map<String, Action> out = new HashMap<>();
        for (JsonNode n : list) {
            String text = n.asText();
            int eq = text.indexOf('=');
            String id = eq < 0 ? "" : text.substring(0, eq).strip();
            String action = eq < 0 ? "" : text.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
            if (!n.isTextual() || !ID.matcher(id).matches() || !ACTIONS.contains(action)) {
                throw new ConfigException(
                        "review.overrides from "
                                + source
                                + " must be a list of \"finding-id=action\" (action: "
                                + String.join(", ", ACTIONS)
                                + "), not "
                                + n);
            }
            out.put(id, Action.valueOf(action.toUpperCase(Locale.ROOT)));
        }
        return out;
    }

    /** The registry's policy ({@code strict}: that of high-impact and governed packages). */
    static ReviewPolicy policy(Config.Review r, boolean strict) {
        Map<String, Action> overrides = new HashMap<>();
        for (String o : r.overrides()) {
            int eq = o.indexOf('=');
            overrides.put(
                    o.substring(0, eq).strip(),
                    Action.valueOf(o.substring(eq + 1).strip().toUpperCase(Locale.ROOT)));
        }
        return strict
                ? new ReviewPolicy(
                        severity(r.highImpactFlagAt()),
                        severity(r.highImpactHoldAt()),
                        severity(r.highImpactQuarantineAt()),
                        overrides)
                : new ReviewPolicy(
                        severity(r.flagAt()),
                        severity(r.holdAt()),
                        severity(r.quarantineAt()),
                        overrides);
    }

    private static Severity severity(ObjectNode review, String key) {
        return severity(review.path(key).asText());
    }

    private static Severity severity(String word) {
        return Severity.valueOf(word.toUpperCase(Locale.ROOT));
    }

    private static String word(Severity s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
