package dev.warden.verify.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * The report for programs: every package, every finding, whole (the schema is in warden-verify's
 * README, under "Output"). Statuses, checks and sources are lower-case ids, stable across releases.
 */
public final class JsonReport {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    public static String render(Report report) {
        try {
            return MAPPER.writeValueAsString(tree(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings and numbers always writes
        }
    }

    static ObjectNode tree(Report report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("lockfile", report.lockfile());
        root.put("format", report.format());
        root.put("policy", report.policy());
        root.put("at", report.at().toString());
        root.put("exitCode", report.exitCode());
        ObjectNode summary = root.putObject("summary");
        summary.put("packages", report.results().size());
        for (Map.Entry<Status, Integer> e : TableReport.counts(report).entrySet()) {
            summary.put(id(e.getKey()), e.getValue());
        }
        ArrayNode packages = root.putArray("packages");
        for (PackageResult r : report.results()) {
            ObjectNode p = packages.addObject();
            p.put("name", r.pkg().name());
            p.put("version", r.pkg().version());
            p.put("status", id(r.status()));
            p.put("source", r.pkg().kind().name().toLowerCase(Locale.ROOT));
            p.put("resolved", r.pkg().resolved());
            p.put("integrity", r.pkg().integrity());
            ArrayNode paths = p.putArray("paths");
            r.pkg().paths().forEach(paths::add);
            p.put("waiver", r.waiver());
            ArrayNode findings = p.putArray("findings");
            for (Finding f : r.findings()) {
                findings.addObject()
                        .put("check", f.check().id())
                        .put("status", id(f.status()))
                        .put("message", f.message());
            }
        }
        ArrayNode notices = root.putArray("notices");
        report.notices().forEach(notices::add);
        return root;
    }

    static String id(Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
