package dev.warden.verify.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of a policy's TOML tree, each refusing a value of the wrong kind with a message that
 * names the origin and the key ({@code policy FILE: KEY must be ..., not VALUE}).
 */
final class TomlValues {

    private final String origin;

    TomlValues(String origin) {
        this.origin = origin;
    }

    PolicyException refuse(String problem) {
        return new PolicyException("policy " + origin + ": " + problem);
    }

    /** Refuses any key of {@code t} not in {@code keys}; {@code key} is the table's path. */
    void known(ObjectNode t, String key, List<String> keys) throws PolicyException {
        for (String name : (Iterable<String>) t::fieldNames) {
            if (!keys.contains(name)) {
                throw refuse(
                        "unknown key "
                                + key
                                + "."
                                + name
                                + " (known: "
                                + String.join(", ", keys)
                                + ")");
            }
        }
    }

    /** An absent list is empty. */
    List<String> strings(JsonNode v, String key) throws PolicyException {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw refuse(
                    key + " must be a list of strings, such as [\"a\", \"b\"], not " + show(v));
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw refuse(key + " must be a list of strings, and " + show(e) + " is not one");
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** {@code key} is the list's full path ({@code age.exclude}); an absent list is empty. */
    List<NamePattern> patterns(JsonNode v, String key) throws PolicyException {
        List<NamePattern> patterns = new ArrayList<>();
        for (String s : strings(v, key)) {
            patterns.add(pattern(s, key));
        }
        return patterns;
    }

    NamePattern pattern(String s, String key) throws PolicyException {
        try {
            return NamePattern.parse(s);
        } catch (IllegalArgumentException e) {
            throw refuse(key + ": " + e.getMessage());
        }
    }

    String requiredString(ObjectNode t, String table, String name) throws PolicyException {
        String s = optionalString(t, table, name);
        if (s == null) {
            throw refuse(table + "." + name + " is required");
        }
        return s;
    }

    String optionalString(ObjectNode t, String table, String name) throws PolicyException {
        JsonNode v = t.get(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw refuse(table + "." + name + " must be a non-empty string, not " + show(v));
        }
        return v.textValue();
    }

    static boolean allObjects(JsonNode array) {
        for (JsonNode e : array) {
            if (!e.isObject()) {
                return false;
            }
        }
        return true;
    }

    /** A value as a message shows it: short, on one line, with no control characters. */
    static String show(JsonNode v) {
        String s =
                v instanceof POJONode p
                        ? String.valueOf(p.getPojo())
                        : v.isTextual() ? "\"" + v.textValue() + "\"" : v.toString();
        s = s.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 60 ? s.substring(0, 59) + "…" : s;
    }
}
