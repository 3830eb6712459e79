package dev.warden.awareness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.semver4j.Semver;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The published, not withdrawn records that affect what an audit asked, in the two answers clients
 * read: the bulk answer (npm 11's Arborist and {@code @npmcli/metavuln-calculator}, yarn berry's
 * {@code yarn npm audit}: {@code {name: [{id, url, title, severity, vulnerable_versions, cwe,
 * cvss}]}}) and npm 6's quick-audit report, which pnpm reads ({@code advisories} by id with {@code
 * module_name}, {@code vulnerable_versions}, {@code patched_versions}, {@code findings}, and counts
 * by severity in {@code metadata.vulnerabilities}).
 */
public final class AuditAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditAnswers() {}

    /**
     * Records, per package asked, that affect at least one of the versions asked: one record lookup
     * per package name, in one read.
     */
    public static Map<String, List<OsvRecord>> affecting(OsvRecords records, AuditQuery query) {
        Map<String, List<OsvRecord>> found = records.affecting(query.versions().keySet());
        Map<String, List<OsvRecord>> out = new java.util.LinkedHashMap<>();
        found.forEach(
                (name, list) -> {
                    Set<String> asked = query.versions().get(name);
                    List<OsvRecord> hits =
                            list.stream()
                                    .filter(r -> asked.stream().anyMatch(v -> r.affects(name, v)))
                                    .toList();
                    if (!hits.isEmpty()) {
                        out.put(name, hits);
                    }
                });
        return out;
    }

    /** The bulk answer; {@code url} gives each record's page. */
    public static ObjectNode bulk(Map<String, List<OsvRecord>> hits, Function<String, String> url) {
        ObjectNode out = JSON.createObjectNode();
        hits.forEach(
                (name, list) -> {
                    ArrayNode arr = out.putArray(name);
                    for (OsvRecord r : list) {
                        ObjectNode a = arr.addObject();
                        a.put("id", r.id());
                        a.put("url", url.apply(r.id()));
                        a.put("title", r.summary());
                        a.put("severity", r.severity().npm());
                        a.put("vulnerable_versions", range(r, name));
                        a.putArray("cwe");
                        ObjectNode cvss = a.putObject("cvss");
                        cvss.put("score", 0);
                        cvss.putNull("vectorString");
                    }
                });
        return out;
    }

    /**
     * npm 6's quick-audit report; {@code paths} gives the tree paths of each affected {@code
     * name@version}.
     */
    public static ObjectNode quick(
            Map<String, List<OsvRecord>> hits,
            AuditQuery query,
            Map<String, List<String>> paths,
            Function<String, String> url) {
        ObjectNode out = JSON.createObjectNode();
        out.putArray("actions");
        ObjectNode advisories = out.putObject("advisories");
        Map<AdvisorySeverity, Integer> counts = new EnumMap<>(AdvisorySeverity.class);
        hits.forEach(
                (name, list) -> {
                    for (OsvRecord r : list) {
                        ObjectNode a = advisories.putObject(r.id() + ":" + name);
                        a.put("id", r.id());
                        a.put("github_advisory_id", r.id());
                        a.put("module_name", name);
                        a.put("title", r.summary());
                        a.put("overview", r.details() == null ? r.summary() : r.details());
                        a.put("severity", r.severity().npm());
                        a.put("vulnerable_versions", range(r, name));
                        a.put("patched_versions", patched(r, name));
                        a.put("recommendation", recommendation(r, name));
                        a.put("url", url.apply(r.id()));
                        a.put("created", r.published().toString());
                        a.put("updated", r.modified().toString());
                        ArrayNode cves = a.putArray("cves");
                        r.aliases().stream().filter(s -> s.startsWith("CVE-")).forEach(cves::add);
                        a.putArray("cwe");
                        ArrayNode findings = a.putArray("findings");
                        for (String v : query.versions().get(name)) {
                            if (r.affects(name, v)) {
                                ObjectNode f = findings.addObject();
                                f.put("version", v);
                                ArrayNode ps = f.putArray("paths");
                                paths.getOrDefault(name + "@" + v, List.of()).forEach(ps::add);
                            }
                        }
                        counts.merge(r.severity(), 1, Integer::sum);
                    }
                });
        out.putArray("muted");
        ObjectNode meta = out.putObject("metadata");
        ObjectNode vulns = meta.putObject("vulnerabilities");
        vulns.put("info", 0);
        for (AdvisorySeverity s : AdvisorySeverity.values()) {
            vulns.put(s.npm(), counts.getOrDefault(s, 0));
        }
        meta.put("dependencies", query.dependencies() - query.devDependencies());
        meta.put("devDependencies", query.devDependencies());
        meta.put("optionalDependencies", 0);
        meta.put("totalDependencies", query.dependencies());
        return out;
    }

    /** The record's affected versions of this package, in npm's range syntax. */
    static String range(OsvRecord r, String name) {
        List<String> parts = new ArrayList<>();
        for (OsvRecord.Affected a : r.affected()) {
            if (a.name().equals(name)) {
                parts.add(a.npmRange());
            }
        }
        return String.join(" || ", parts);
    }

    /**
     * The versions that fix it: from the end of the highest interval when that end is a fix; {@code
     * <0.0.0} (pnpm's "no patch") when the highest interval is open, ends with a last affected
     * version, or versions are listed one by one.
     */
    static String patched(OsvRecord r, String name) {
        AffectedRange highest = null;
        for (OsvRecord.Affected a : r.affected()) {
            if (!a.name().equals(name)) {
                continue;
            }
            if (!a.versions().isEmpty()) {
                return "<0.0.0";
            }
            for (AffectedRange range : a.ranges()) {
                String end = end(range);
                if (end == null) {
                    return "<0.0.0";
                }
                if (highest == null || new Semver(end).isGreaterThan(end(highest))) {
                    highest = range;
                }
            }
        }
        return highest == null || highest.fixed() == null ? "<0.0.0" : ">=" + highest.fixed();
    }

    private static String end(AffectedRange r) {
        return r.fixed() != null ? r.fixed() : r.lastAffected();
    }

    private static String recommendation(OsvRecord r, String name) {
        String p = patched(r, name);
        return p.startsWith(">=")
                ? "Upgrade to version " + p.substring(2) + " or later"
                : "None: no fixed version is published";
    }
}
