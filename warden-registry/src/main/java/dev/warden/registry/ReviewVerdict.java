package dev.warden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.review.Action;
import dev.warden.review.Evidence;
import dev.warden.review.Finding;
import dev.warden.review.Severity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the release review decided about a release, kept with it (and with its stage): the action,
 * the policy that mapped the findings, each finding with the action it asked for and its evidence,
 * the checks that could not run, and the files the release added or changed (by SHA-256).
 *
 * @param policy "default" or "strict" (high-impact or governed package), with "+package" when the
 *     package's own review thresholds were applied too
 * @param summary the review's summary of the release, kept for the next release's review (in the
 *     release_summaries rows, not in the stage's JSON); null when there is none
 */
record ReviewVerdict(
        Action action,
        String policy,
        List<Judged> findings,
        List<String> notComputed,
        List<String> newFiles,
        byte[] summary) {

    ReviewVerdict(
            Action action,
            String policy,
            List<Judged> findings,
            List<String> notComputed,
            List<String> newFiles) {
        this(action, policy, findings, notComputed, newFiles, null);
    }

    ReviewVerdict {
        findings = List.copyOf(findings);
        notComputed = List.copyOf(notComputed);
        newFiles = List.copyOf(newFiles);
    }

    /** A finding and the action the policy gave it. */
    record Judged(Finding finding, Action action) {}

    /** The summaries of the findings that decided the action, for the publisher and approvers. */
    String reasons() {
        List<String> out = new ArrayList<>();
        for (Judged j : findings) {
            if (j.action() == action) {
                out.add(j.finding().summary() + " [" + j.finding().id() + "]");
            }
        }
        return String.join("; ", out);
    }

    List<String> findingIds() {
        return findings.stream().map(j -> j.finding().id()).toList();
    }

    /** What the transparency log's statements of the release say of its review. */
    Map<String, Object> statement() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", word(action));
        m.put("findings", findingIds());
        return m;
    }

    static String word(Action a) {
        return a.name().toLowerCase(Locale.ROOT);
    }

    /** The review material of {@code npm stage view}: findings first, then evidence. */
    ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("action", word(action));
        o.put("policy", policy);
        ArrayNode fs = o.putArray("findings");
        for (Judged j : findings) {
            Finding f = j.finding();
            ObjectNode n = fs.addObject();
            n.put("id", f.id());
            n.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            n.put("action", word(j.action()));
            n.put("summary", f.summary());
            ArrayNode ev = n.putArray("evidence");
            for (Evidence e : f.evidence()) {
                ObjectNode x = ev.addObject();
                if (e.file() != null) {
                    x.put("file", e.file());
                }
                if (e.line() > 0) {
                    x.put("line", e.line());
                }
                if (e.offset() >= 0) {
                    x.put("offset", e.offset());
                }
                if (e.length() > 0) {
                    x.put("length", e.length());
                }
                if (!e.excerpt().isEmpty()) {
                    x.put("excerpt", e.excerpt());
                }
            }
        }
        notComputed.forEach(o.putArray("notComputed")::add);
        return o;
    }

    /**
     * The findings as lines of text, each with its evidence indented below it: how {@code npm stage
     * view} prints a field.
     */
    String text() {
        StringBuilder b = new StringBuilder();
        for (Judged j : findings) {
            Finding f = j.finding();
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(f.id())
                    .append(" (")
                    .append(f.severity().name().toLowerCase(Locale.ROOT))
                    .append(", ")
                    .append(word(j.action()))
                    .append("): ")
                    .append(f.summary());
            for (Evidence e : f.evidence()) {
                b.append("\n    ").append(where(e));
                if (!e.excerpt().isEmpty()) {
                    b.append("  ").append(e.excerpt());
                }
            }
        }
        return b.toString();
    }

    /** {@code lib/a.js:12 [bytes 300+40]}, or what of it is known. */
    static String where(Evidence e) {
        StringBuilder b = new StringBuilder(e.file() == null ? "(the release)" : e.file());
        if (e.line() > 0) {
            b.append(':').append(e.line());
        }
        if (e.offset() >= 0) {
            b.append(" [bytes ").append(e.offset()).append('+').append(e.length()).append(']');
        }
        return b.toString();
    }

    /** As {@link #toJson} plus the new files, as a release keeps it. */
    ObjectNode toStoredJson(ObjectMapper json) {
        ObjectNode o = toJson(json);
        newFiles.forEach(o.putArray("newFiles")::add);
        return o;
    }

    static ReviewVerdict fromJson(JsonNode o) {
        List<Judged> findings = new ArrayList<>();
        for (JsonNode n : o.path("findings")) {
            List<Evidence> evidence = new ArrayList<>();
            for (JsonNode e : n.path("evidence")) {
                evidence.add(
                        new Evidence(
                                e.hasNonNull("file") ? e.get("file").asText() : null,
                                e.path("line").asInt(0),
                                e.path("offset").asLong(-1),
                                e.path("length").asInt(0),
                                e.path("excerpt").asText("")));
            }
            findings.add(
                    new Judged(
                            new Finding(
                                    n.path("id").asText(),
                                    Severity.valueOf(
                                            n.path("severity").asText().toUpperCase(Locale.ROOT)),
                                    n.path("summary").asText(),
                                    evidence),
                            action(n.path("action").asText())));
        }
        return new ReviewVerdict(
                action(o.path("action").asText()),
                o.path("policy").asText("default"),
                findings,
                texts(o.path("notComputed")),
                texts(o.path("newFiles")));
    }

    private static Action action(String word) {
        return Action.valueOf(word.toUpperCase(Locale.ROOT));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
